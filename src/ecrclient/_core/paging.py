"""Pagination, minus the I/O: which request to send next, and which page to hand back.

A :class:`Pager` works on wire dicts (camelCase keys, as the service sends them), so the typed
clients and the boto3-compatible dict layer share it. It never sends anything: the caller does,
synchronously or with ``await``::

    pager = Pager(spec, first_request_wire, page_size=..., max_items=..., starting_token=...)
    while (request := pager.next_request()) is not None:
        response = send(request)         # the only I/O step
        page = pager.accept(response)    # the (possibly truncated) page for the user
    pager.resume_token                   # set when max_items stopped the iteration early

The semantics are botocore's ``PageIterator`` (``botocore/paginate.py``), reproduced on purpose,
quirks included, so that a boto3 adapter gives boto3's pages, tokens and full results:

* ``page_size`` goes into the request's ``limit_key``; ``max_items`` caps the items of the
  *first* result key summed over the pages, truncating the last page mid-way if needed.
* A resume token is base64 of JSON: the input tokens for the page to fetch next, plus
  ``boto_truncate_amount`` (how many items of that page were already handed out) when the
  iteration stopped mid-page. Starting from such a token re-fetches that page and drops those
  items; every other result key on that first page is blanked (``[]``, ``""``, ``None``; numbers
  are kept) because they were handed out in full before. botocore blanks them even when the
  token has no truncate amount (a page-boundary token or a raw service token).
* A starting token that is not base64 JSON is read the old way: ``"<token>[___<token>...][___N]"``,
  which also lets a raw service ``nextToken`` be passed as the starting token.
* An empty output token means "no more pages". The same output token twice in a row is an error
  (:class:`PaginationError`), raised when the next request is asked for, after that page was
  handed out.

Paths (``input_token`` excepted, which are member names) are dotted wire paths such as
``imageScanFindings.findings``: the subset of JMESPath botocore's paginator models use here.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import Iterable, Mapping, MutableMapping, Sized
from typing import Any, cast

import attrs
from botocore import exceptions as _boto

from ecrclient._core.errors import SdkClientError

__all__ = [
    "TRUNCATE_KEY",
    "InvalidStartingTokenError",
    "Pager",
    "PaginationError",
    "PaginatorSpec",
    "build_full_result",
    "encode_token",
    "parse_starting_token",
    "search_path",
    "set_path",
]

TRUNCATE_KEY = "boto_truncate_amount"
"""The resume-token key holding how many items of the page to fetch were already handed out."""

_DEPRECATED_SEPARATOR = "___"
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_DOTTED_PATH = re.compile(rf"{_NAME}(?:\.{_NAME})*")
_MEMBER_NAME = re.compile(_NAME)


class PaginationError(SdkClientError, _boto.PaginationError):  # type: ignore[misc]
    """Pagination cannot go on: the service repeated a token, or the options do not fit.

    Also a ``botocore.exceptions.PaginationError``, with the same message botocore gives.
    """

    fmt = "Error during pagination: {message}"


class InvalidStartingTokenError(PaginationError, ValueError):
    """The starting token cannot be read. Raised before any request is made."""


# -- paths ----------------------------------------------------------------------------------


def search_path(data: Any, path: str) -> Any:
    """The value at dotted ``path`` in ``data``, or ``None`` when any step is missing.

    Equivalent to ``jmespath.search(path, data)`` for dotted paths: a step into anything but an
    object gives ``None``.
    """
    for key in path.split("."):
        if not isinstance(data, Mapping):
            return None
        data = cast("Mapping[str, Any]", data).get(key)
    return data


def set_path(data: MutableMapping[str, Any], path: str, value: Any) -> None:
    """Set dotted ``path`` in ``data`` to ``value``, creating missing objects on the way.

    Mutates ``data`` in place, like botocore's ``set_value_from_jmespath``. A step that exists
    but is not an object raises ``TypeError``.
    """
    *parents, last = path.split(".")
    node: MutableMapping[str, Any] = data
    for key in parents:
        child = node.get(key)
        if child is None and key not in node:
            child = node[key] = {}
        if not isinstance(child, MutableMapping):
            raise TypeError(f"cannot set {path!r}: {key!r} is a {type(child).__name__}")
        node = cast("MutableMapping[str, Any]", child)
    node[last] = value


def _set_copied(page: dict[str, Any], path: str, value: Any) -> None:
    """Like :func:`set_path` on ``page``, copying each object on the way first.

    ``page`` is the pager's own shallow copy of a response; copying the nested objects it steps
    through keeps the caller's response untouched.
    """
    *parents, last = path.split(".")
    node: dict[str, Any] = page
    for key in parents:
        child = node.get(key)
        if child is None and key not in node:
            child = {}
        elif not isinstance(child, Mapping):
            raise TypeError(f"cannot set {path!r}: {key!r} is a {type(child).__name__}")
        node[key] = dict(cast("Mapping[str, Any]", child))
        node = node[key]
    node[last] = value


# -- the model ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PaginatorSpec:
    """One operation's entry in botocore's ``paginators-1.json``, as data."""

    input_token: tuple[str, ...]
    """Request members that carry the token(s), e.g. ``("nextToken",)``."""
    output_token: tuple[str, ...]
    """Dotted response paths of the token(s), pairwise with ``input_token``."""
    limit_key: str | None = None
    """The request member ``page_size`` sets, e.g. ``"maxResults"``; ``None`` when there is none."""
    result_keys: tuple[str, ...]
    """Dotted response paths aggregated across pages. ``max_items`` counts the first one only."""
    non_aggregate_keys: tuple[str, ...] = ()
    """Dotted response paths taken from the first page only, in :func:`build_full_result`."""

    def __attrs_post_init__(self) -> None:
        problems: list[str] = []
        if not self.input_token or len(self.input_token) != len(self.output_token):
            problems.append("input_token and output_token must pair up, one or more of each")
        if not self.result_keys:
            problems.append("result_keys must name at least one path")
        for name in (*self.input_token, *((self.limit_key,) if self.limit_key else ())):
            if not _MEMBER_NAME.fullmatch(name):
                problems.append(f"{name!r} is not a member name")
        for path in (*self.output_token, *self.result_keys, *self.non_aggregate_keys):
            if not _DOTTED_PATH.fullmatch(path):
                problems.append(f"{path!r} is not a dotted path")
        if problems:
            raise ValueError("invalid paginator: " + "; ".join(problems))

    @classmethod
    def from_model(cls, config: Mapping[str, Any]) -> PaginatorSpec:
        """The spec for one entry of ``paginators-1.json`` (single strings or lists alike)."""
        unsupported = sorted(set(config) - _MODEL_KEYS)
        if unsupported:
            raise ValueError(f"unsupported paginator settings: {', '.join(unsupported)}")

        def strings(value: Any) -> tuple[str, ...]:
            return (value,) if isinstance(value, str) else tuple(value)

        return cls(
            input_token=strings(config["input_token"]),
            output_token=strings(config["output_token"]),
            limit_key=config.get("limit_key"),
            result_keys=strings(config.get("result_key", ())),
            non_aggregate_keys=strings(config.get("non_aggregate_keys", ())),
        )


_MODEL_KEYS = frozenset(
    {"input_token", "output_token", "limit_key", "result_key", "non_aggregate_keys"}
)


# -- tokens ---------------------------------------------------------------------------------


def encode_token(token: Mapping[str, Any]) -> str:
    """The opaque resume token for ``token``: base64 of its JSON, exactly as botocore writes it."""
    return base64.b64encode(json.dumps(token).encode("utf-8")).decode("utf-8")


def parse_starting_token(spec: PaginatorSpec, token: str) -> tuple[dict[str, Any], int]:
    """The input-token values and the count of items to skip on the first page for ``token``.

    Reads botocore's base64 JSON tokens and, failing that, its older ``___``-separated form
    (under which a raw service token is itself a valid starting token). Raises
    :class:`InvalidStartingTokenError` for a token that fits neither: a JSON token must hold
    exactly the spec's input tokens (plus, optionally, a non-negative ``boto_truncate_amount``).
    """
    decoded = _decode_json_token(token)
    if decoded is None:
        return _parse_deprecated_token(spec, token)
    index = decoded.pop(TRUNCATE_KEY, 0)
    if (
        sorted(decoded) != sorted(spec.input_token)
        or not isinstance(index, int)
        or isinstance(index, bool)
        or index < 0
    ):
        raise InvalidStartingTokenError(f"Bad starting token: {token}")
    return decoded, index


def _decode_json_token(token: str) -> dict[str, Any] | None:
    try:
        decoded = json.loads(base64.b64decode(token.encode("utf-8")).decode("utf-8"))
    except (ValueError, TypeError):  # binascii.Error, UnicodeDecodeError, JSONDecodeError
        return None
    # botocore fails on JSON that is not an object; reading it as a raw token is kinder.
    return cast("dict[str, Any]", decoded) if isinstance(decoded, dict) else None


def _parse_deprecated_token(spec: PaginatorSpec, token: str) -> tuple[dict[str, Any], int]:
    parts = token.split(_DEPRECATED_SEPARATOR)
    index = 0
    if len(parts) == len(spec.input_token) + 1:
        last = parts.pop()
        try:
            index = int(last)
        except ValueError:
            parts = [token]  # not an old-style token: an opaque service token
    if index < 0 or len(parts) > len(spec.input_token):
        raise InvalidStartingTokenError(f"Bad starting token: {token}")
    values: list[str | None] = [None if part == "None" else part for part in parts]
    values += [None] * (len(spec.input_token) - len(values))
    return dict(zip(spec.input_token, values, strict=True)), index


def _inject_token(request: dict[str, Any], token: Mapping[str, Any]) -> None:
    """Put the token values into ``request``; ``None`` (or the text ``"None"``) removes them."""
    for name, value in token.items():
        if value is not None and value != "None":
            request[name] = value
        else:
            request.pop(name, None)


# -- the page iterator ----------------------------------------------------------------------


class Pager:
    """A sans-IO page iterator for one paginated call.

    Alternate :meth:`next_request` and :meth:`accept` until :meth:`next_request` gives ``None``.
    Construction reads ``starting_token`` and checks the options, so bad input fails before any
    request. Neither the request nor the responses passed in are mutated.
    """

    def __init__(
        self,
        spec: PaginatorSpec,
        request: Mapping[str, Any],
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: str | None = None,
    ) -> None:
        limit_key = spec.limit_key
        if page_size is not None and limit_key is None:
            raise PaginationError(
                "PageSize parameter is not supported for the pagination interface for this "
                "operation."
            )
        if max_items is not None and (isinstance(max_items, bool) or max_items < 0):
            raise PaginationError(f"MaxItems must be a non-negative integer, got {max_items!r}")
        self.spec = spec
        self._max_items = max_items
        self._request = dict(request)
        self._resuming = starting_token is not None
        # The input tokens that fetched the current page: what a mid-page resume token refers to.
        self._page_token: dict[str, Any] = dict.fromkeys(spec.input_token)
        self._skip = 0
        if starting_token is not None:
            self._page_token, self._skip = parse_starting_token(spec, starting_token)
            _inject_token(self._request, self._page_token)
        if page_size is not None and limit_key is not None:
            self._request[limit_key] = page_size
        self._previous_token: dict[str, Any] | None = None
        self._first_page = True
        self._total_items = 0
        self._outstanding = False
        self._done = False
        self._error: PaginationError | None = None
        self._resume_token: str | None = None
        self._non_aggregate_part: dict[str, Any] = {}

    @property
    def resume_token(self) -> str | None:
        """The token to pass as ``starting_token`` to carry on where ``max_items`` stopped.

        ``None`` while iterating, and after the last page.
        """
        return self._resume_token

    @property
    def non_aggregate_part(self) -> dict[str, Any]:
        """The non-aggregate keys of the first page (``None`` where absent), like botocore's."""
        return self._non_aggregate_part

    @property
    def total_items(self) -> int:
        """Items of the first result key handed out so far."""
        return self._total_items

    @property
    def done(self) -> bool:
        """No further request will be made."""
        return self._done

    def next_request(self) -> dict[str, Any] | None:
        """The wire dict of the next request to send, or ``None`` when pagination is over.

        Asking again before :meth:`accept` gives the same request. Raises the
        :class:`PaginationError` found in the previous response, if any.
        """
        if self._error is not None:
            raise self._error
        if self._done:
            return None
        self._outstanding = True
        return dict(self._request)

    def accept(self, response: Mapping[str, Any]) -> dict[str, Any]:
        """Take the wire dict answering the last request; return the page to hand out.

        The page is a copy of ``response``, truncated (first page of a resumed iteration, or the
        page where ``max_items`` is reached) as botocore truncates it.
        """
        if not self._outstanding:
            raise RuntimeError("accept() needs a request from next_request() to answer")
        self._outstanding = False
        spec = self.spec
        primary = spec.result_keys[0]
        page = dict(response)
        skip = 0
        if self._first_page and self._resuming:
            skip = self._skip
            self._trim_resumed_page(page)
        items = search_path(page, primary)
        count = len(items) if isinstance(items, Sized) else 0
        excess = 0 if self._max_items is None else self._total_items + count - self._max_items
        if excess > 0:
            keep = count - excess
            _set_copied(page, primary, (items if isinstance(items, (list, str)) else [])[:keep])
            self._resume_token = encode_token({**self._page_token, TRUNCATE_KEY: keep + skip})
            self._total_items += keep
            self._done = True
        else:
            self._total_items += count
            self._advance(page)
        if self._first_page:
            self._first_page = False
            self._non_aggregate_part = _non_aggregate_part(spec, page)
        return page

    def _trim_resumed_page(self, page: dict[str, Any]) -> None:
        """Drop the items a resume token says were handed out; blank the other result keys."""
        primary, *others = self.spec.result_keys
        items = search_path(page, primary)
        _set_copied(page, primary, items[self._skip :] if isinstance(items, (list, str)) else None)
        for path in others:
            if path == primary:
                continue
            sample = search_path(page, path)
            empty: Any
            if isinstance(sample, list):
                empty = []
            elif isinstance(sample, str):
                empty = ""
            elif isinstance(sample, (int, float)):
                empty = sample  # a count (DynamoDB's Count) stays what the service said
            else:
                empty = None
            _set_copied(page, path, empty)

    def _advance(self, page: Mapping[str, Any]) -> None:
        """After a whole page: stop, or set up the request for the next one."""
        token = {
            name: search_path(page, path) or None
            for name, path in zip(self.spec.input_token, self.spec.output_token, strict=True)
        }
        if all(value is None for value in token.values()):
            self._done = True
        elif self._max_items is not None and self._total_items == self._max_items:
            self._resume_token = encode_token(token)  # a page boundary: no truncate amount
            self._done = True
        elif self._previous_token is not None and self._previous_token == token:
            self._error = PaginationError(f"The same next token was received twice: {token}")
            self._done = True
        else:
            _inject_token(self._request, token)
            self._previous_token = token
            self._page_token = token


def _non_aggregate_part(spec: PaginatorSpec, page: Mapping[str, Any]) -> dict[str, Any]:
    part: dict[str, Any] = {}
    for path in spec.non_aggregate_keys:
        set_path(part, path, search_path(page, path))
    return part


# -- the full result ------------------------------------------------------------------------


def build_full_result(
    spec: PaginatorSpec, pages: Iterable[Mapping[str, Any]], *, resume_token: str | None = None
) -> dict[str, Any]:
    """All ``pages`` as one response, the way botocore's ``build_full_result`` builds it.

    ``pages`` are what :meth:`Pager.accept` returned, in order. Each result key's values are
    concatenated (lists extended; numbers added and strings joined, as botocore does); the
    non-aggregate keys come from the first page, ``None`` where it lacked them; ``NextToken``
    is ``resume_token`` when there is one. The pages are not mutated.
    """
    result: dict[str, Any] = {}
    first_page: Mapping[str, Any] | None = None
    for page in pages:
        if first_page is None:
            first_page = page
        for path in spec.result_keys:
            value = search_path(page, path)
            if value is None:
                continue
            existing = search_path(result, path)
            if existing is None:
                set_path(
                    result,
                    path,
                    list(cast("list[object]", value)) if isinstance(value, list) else value,
                )
            elif isinstance(value, list) and isinstance(existing, list):
                cast("list[object]", existing).extend(cast("list[object]", value))
            elif _addable(existing, value):
                set_path(result, path, existing + value)
    if first_page is not None:
        part = copy.deepcopy(_non_aggregate_part(spec, first_page))
        _merge_non_aggregate(result, part, "", frozenset(spec.result_keys))
    if resume_token is not None:
        result["NextToken"] = resume_token
    return result


def _addable(existing: Any, value: Any) -> bool:
    numbers = (int, float)
    if isinstance(existing, bool) or isinstance(value, bool):
        return False
    if isinstance(existing, numbers) and isinstance(value, numbers):
        return True
    return isinstance(existing, str) and isinstance(value, str)


def _merge_non_aggregate(
    target: dict[str, Any], source: Mapping[str, Any], prefix: str, result_keys: frozenset[str]
) -> None:
    """botocore's ``merge_dicts(result, non_aggregate_part)``, aliasing included.

    In botocore the first page's list under a result key *is* the aggregated list (it is
    extended in place), so merging it back keeps the aggregate; any other value found there
    (``None``, a scalar) overwrites it, as it does in botocore.
    """
    for key, value in source.items():
        path = prefix + key
        if isinstance(value, Mapping):
            existing = target.get(key)
            if isinstance(existing, dict):
                _merge_non_aggregate(
                    cast("dict[str, Any]", existing),
                    cast("Mapping[str, Any]", value),
                    path + ".",
                    result_keys,
                )
            else:
                target[key] = value
        elif path in result_keys and isinstance(value, list) and key in target:
            continue
        else:
            target[key] = value
