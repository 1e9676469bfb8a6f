"""The emitters: each turns the :class:`~codegen.loader.Model` into the text of generated files.

Every emitter is a pure function of the model returning Python source (unformatted: the driver,
``codegen/generate.py``, writes the files and runs ruff over them). Paths are relative to the
package directory (``src/ecrclient``):

- :mod:`.models`: ``model/`` (one module per operation, ``_shared``, ``enums``, ``__init__``),
  with the classes themselves from :mod:`.structures`;
- :mod:`.faults`: ``_generated/faults.py``, the error classes;
- :mod:`.operations`: ``_generated/operations.py`` and ``async_operations.py``, the typed
  client methods;
- :mod:`.paginators`: ``_generated/paginators.py``, the typed paginator methods;
- :mod:`.waiters`: ``_generated/waiters.py``, the waiter specs and typed waiter properties;
- :mod:`.type_defs`: ``_generated/type_defs.py``, TypedDicts of boto3's parameters and responses;
- :mod:`.compat`: ``_generated/compat_operations.py`` and ``async_compat_operations.py``, the
  boto3-style methods;
- :mod:`.boto_answers`: ``_generated/boto_answers/``, each operation's answer read from its
  JSON straight into boto3's dict, for the drop-in (one module per operation, ``_shared``);
- :mod:`.data`: ``_generated/service.py``, ``botocore_model.py`` and ``endpoint_data.py``, the
  model's facts and files as Python data.
"""
