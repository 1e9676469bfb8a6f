"""Model objects as JSON-safe dicts and back, for caches, snapshots and fixtures.

``to_json_dict(obj)`` gives a dict that ``json.dumps`` takes as it is;
``from_json_dict(cls, data)`` gives the ``cls`` object back, equal to the original.

Any request, result or shape class of `ecrclient.model` works, nested to any depth. The dict
uses the Python member names (`image_details`, `image_pushed_at`) and only values
`json.dumps` takes as they are:

| member type | in the dict |
| --- | --- |
| `str`, `int`, `float`, `bool` | itself |
| `datetime` | ISO 8601 text in UTC: `"2024-05-01T12:00:00+00:00"` (naive: taken as UTC) |
| `bytes` | standard base64 text |
| a list of members, a map of members | a list, a dict with the same keys |
| a model object | a dict like this one |

A member that is `None` (absent) is left out of the dict; a member the model requires is always
written, as `null` when an answer from the service left it out. A result's
`response_metadata` is not written: it describes the call that returned the result, not the
result, and results compare equal without it. So `from_json_dict(type(x), to_json_dict(x)) == x`
for every model object `x`; lists come back as lists and maps as dicts.

`from_json_dict` is strict about what it reads: a key that is not a member of the class, a
missing required member, or a value of the wrong type (text for a number, a number for text,
a timestamp without a time zone) raises one `ValueError` that lists every problem with its
path. It does not check the model's constraints (lengths, patterns, ranges): a client does that
before it sends a request.
"""

from __future__ import annotations

import base64
import binascii
import functools
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

__all__ = ["from_json_dict", "to_json_dict"]

_T = TypeVar("_T")

_MODEL_PACKAGE = "ecrclient.model"
_CALL_FACTS = "response_metadata"
"""The member of every result that describes the call rather than the result."""


def _is_model_class(cls: Any) -> bool:
    module = getattr(cls, "__module__", "")
    return (
        isinstance(cls, type)
        and attrs.has(cls)
        and (module == _MODEL_PACKAGE or module.startswith(_MODEL_PACKAGE + "."))
    )


# -- scalars --------------------------------------------------------------------------------


def _datetime_out(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat()


def _datetime_in(value: Any, _: Any) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected ISO 8601 text, got {type(value).__name__}")
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return parsed.astimezone(timezone.utc)


def _bytes_out(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _bytes_in(value: Any, _: Any) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"expected base64 text, got {type(value).__name__}")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error as error:
        raise ValueError(f"not base64: {error}") from None


def _exactly(kind: type) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        # bool is an int to Python, never to the model.
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return structure


def _float_in(value: Any, _: Any) -> float:
    # JSON writers may drop the ".0" of a whole number.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected float, got {type(value).__name__}")
    return float(value)


# -- model classes --------------------------------------------------------------------------


def _or_none_out(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else hook(value)


def _or_none_in(hook: Callable[[Any, Any], Any], kind: Any) -> Callable[[Any, Any], Any]:
    return lambda value, _: None if value is None else hook(value, kind)


def _members(cls: type) -> list[tuple[attrs.Attribute[Any], Any]]:
    hints = typing.get_type_hints(cls)
    return [(field, hints[field.name]) for field in attrs.fields(cls)]


def _required(field: attrs.Attribute[Any]) -> bool:
    return field.default is attrs.NOTHING


def _unstructure_factory(converter: cattrs.Converter) -> Callable[[type], Any]:
    def factory(cls: type) -> Any:
        overrides: dict[str, Any] = {}
        for field, kind in _members(cls):
            if field.name == _CALL_FACTS:
                overrides[field.name] = override(omit=True)
            elif _required(field):
                # An answer read leniently may lack a required member: written as null.
                overrides[field.name] = override(
                    unstruct_hook=_or_none_out(converter.get_unstructure_hook(kind))
                )
        hook: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
            cls, converter, _cattrs_omit_if_default=converter.omit_if_default, **overrides
        )
        return hook

    return factory


def _structure_factory(converter: cattrs.Converter) -> Callable[[type], Any]:
    def factory(cls: type) -> Any:
        overrides: dict[str, Any] = {}
        for field, kind in _members(cls):
            if field.name == _CALL_FACTS:
                overrides[field.name] = override(omit=True)
            elif _required(field):
                overrides[field.name] = override(
                    struct_hook=_or_none_in(converter.get_structure_hook(kind), kind)
                )
        model: type[Any] = cls
        hook: Callable[[Any, Any], Any] = make_dict_structure_fn(model, converter, **overrides)
        return _model_in(hook)

    return factory


def _is_sequence_type(kind: Any) -> bool:
    origin: Any = typing.get_origin(kind)
    return origin is Sequence


def _is_mapping_type(kind: Any) -> bool:
    origin: Any = typing.get_origin(kind)
    return origin is Mapping


def _sequence_in(converter: cattrs.Converter, kind: Any) -> Callable[[Any, Any], Any]:
    # A list, as members are when read from an answer; never the characters of a string.
    as_list = converter.get_structure_hook(list[typing.get_args(kind)[0]])  # type: ignore[misc]

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a list, got {type(value).__name__}")
        return as_list(value, list)

    return structure


def _mapping_in(converter: cattrs.Converter, kind: Any) -> Callable[[Any, Any], Any]:
    key, item = typing.get_args(kind)
    as_dict = converter.get_structure_hook(dict[key, item])  # type: ignore[valid-type]

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        return as_dict(value, dict)

    return structure


def _model_in(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def structure(value: Any, kind: Any) -> Any:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        return hook(value, kind)

    return structure


@functools.cache
def _converter() -> cattrs.Converter:
    converter = cattrs.Converter(omit_if_default=True, forbid_extra_keys=True)
    converter.register_unstructure_hook(datetime, _datetime_out)
    converter.register_structure_hook(datetime, _datetime_in)
    converter.register_unstructure_hook(bytes, _bytes_out)
    converter.register_structure_hook(bytes, _bytes_in)
    for kind in (str, int, bool):
        converter.register_structure_hook(kind, _exactly(kind))
    converter.register_structure_hook(float, _float_in)
    converter.register_structure_hook_factory(
        _is_sequence_type, functools.partial(_sequence_in, converter)
    )
    converter.register_structure_hook_factory(
        _is_mapping_type, functools.partial(_mapping_in, converter)
    )
    converter.register_unstructure_hook_factory(_is_model_class, _unstructure_factory(converter))
    converter.register_structure_hook_factory(_is_model_class, _structure_factory(converter))
    return converter


def _describe(error: BaseException, kind: Any) -> str:
    if isinstance(error, (TypeError, ValueError)) and str(error):
        return str(error)
    return cattrs.v.format_exception(error, kind)


def _problems(error: BaseException) -> str:
    if isinstance(error, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(error, path="$", format_exception=_describe))
    return str(error)


# -- the API --------------------------------------------------------------------------------


def to_json_dict(obj: object) -> dict[str, Any]:
    """The members of a model object as a dict of JSON-safe values (see the module's table).

    Raises `TypeError` when ``obj`` is not an instance of an `ecrclient.model` class.
    """
    if not _is_model_class(type(obj)):
        raise TypeError(f"not an ecrclient.model object: {type(obj).__name__}")
    data: dict[str, Any] = _converter().unstructure(obj)
    return data


def from_json_dict(cls: type[_T], data: Mapping[str, Any]) -> _T:
    """The ``cls`` object that a dict from :func:`to_json_dict` (or JSON of that form, parsed)
    describes.

    Raises `TypeError` when ``cls`` is not an `ecrclient.model` class, and `ValueError` when
    ``data`` does not describe a ``cls``: its message lists every problem, each with its path
    (``$.image_details[0].image_pushed_at``).
    """
    if not _is_model_class(cls):
        raise TypeError(f"not an ecrclient.model class: {cls!r}")
    given: Any = data  # callers without a type checker may pass anything
    if not isinstance(given, Mapping):
        raise ValueError(f"expected a dict for {cls.__name__}, got {type(given).__name__}")
    try:
        return _converter().structure(data, cls)
    except (cattrs.BaseValidationError, TypeError, ValueError) as error:
        raise ValueError(f"not a valid {cls.__name__}: {_problems(error)}") from None
