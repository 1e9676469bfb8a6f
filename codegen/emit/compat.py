"""``_generated/compat_operations.py`` and ``async_compat_operations.py``: the boto3-style methods.

``CompatOperations`` (``AsyncCompatOperations``) has one snake_case method per operation, as
boto3's ECR client has them: keyword arguments typed by the operation's input TypedDict in, its
``<Operation>ResponseTypeDef`` out (:mod:`.type_defs`). The drop-in client supplies ``_call``.
"""

from __future__ import annotations

from codegen.docstrings import HEADER, docstring, to_text
from codegen.emit.type_defs import typedef_name
from codegen.loader import Model, snake_case


def compat_operations_source(model: Model, *, is_async: bool = False) -> str:
    cls = "AsyncCompatOperations" if is_async else "CompatOperations"
    prefix = "async " if is_async else ""
    out = [HEADER]
    out.append(
        f'"""The boto3-style methods of ``ecrclient.{"aio." if is_async else ""}client("ecr")``'
        ": keyword arguments in,\n"
        'boto3\'s response dicts out."""\n\n'
        "from __future__ import annotations\n\n"
        "import sys\n"
        "from typing import TYPE_CHECKING, Any\n\n"
        "if sys.version_info >= (3, 11):\n"
        "    from typing import Unpack\n"
        "else:\n"
        "    from typing_extensions import Unpack\n\n"
        "if TYPE_CHECKING:\n"
        "    from ecrclient._generated import type_defs\n\n\n"
        f"class {cls}:\n"
        '    """One snake_case method per ECR operation, as boto3\'s ECR client has them."""\n\n'
        "    __slots__ = ()\n\n"
        f"    {prefix}def _call(self, operation: str, params: dict[str, Any]) -> Any:\n"
        "        raise NotImplementedError\n"
    )
    for op_name, op in model.operations.items():
        method = snake_case(op_name)
        params = f"type_defs.{typedef_name(model, op['input']['shape'])}"
        result = f"type_defs.{typedef_name(model, op['output']['shape'])}"
        # The first paragraph only: the typed method carries the full documentation.
        doc = to_text(op.get("documentation")).split("\n\n")[0]
        doc += f"\n\nSee `ECRClient.{method}` for the members; boto3 spells them in camelCase."
        out.append(
            f"\n    {prefix}def {method}(self, *args: Any, **kwargs: Unpack[{params}]) "
            f"-> {result}:\n"
        )
        out.append(docstring(doc, "        "))
        # boto3 rejects positional arguments with this message.
        out.append("        if args:\n")
        out.append(f'            raise TypeError("{method}() only accepts keyword arguments.")\n')
        call = f'self._call("{method}", dict(kwargs))'
        awaited = "await " if is_async else ""
        out.append(f"        return {awaited}{call}  # type: ignore[no-any-return]\n")
    return "".join(out)
