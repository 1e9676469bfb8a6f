"""Hostile answers for every operation, drawn from a seeded ``random.Random``.

:class:`HostileAnswers` makes the answers a broken or malicious endpoint could send:

* a valid result body (from :mod:`shapegen`) with one value replaced, at a random member path,
  by a wrong type, a huge or odd number, an impossible timestamp, odd text or deep nesting;
* bodies that are not a JSON object: random bytes, truncated JSON, JSON nested far too deep;
* error answers with an odd ``__type``, ``message`` (a number, a list, 1 MB of text) and
  unreadable ``Date`` and ``x-amz-retry-after`` headers.

Every answer is ``(status, headers, body)``; the same seed replays the same answers.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

from botocore.model import ServiceModel
from shapegen import generate

MODEL_FILE = Path(__file__).resolve().parents[2] / "codegen" / "model" / "service-2.json"
SERVICE_MODEL = ServiceModel(json.loads(MODEL_FILE.read_text()), "ecr")

DEEP = "__deeply_nested__"
"""Placeholder text replaced, after encoding, by JSON nested far deeper than Python recurses."""

ODD_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    2**64,
    10**30,
    1e18,
    -1e18,
    1e20,
    1.5,
    float("inf"),
    float("-inf"),
    float("nan"),
    "",
    "latest",
    "inf",
    "Infinity",
    "-Infinity",
    "nan",
    "1e20",
    "1e18",
    "99999999999999999999-01-01T00:00:00Z",
    "9999-12-31T23:59:59+14:00",
    "0000-00-00",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "\ud800",
    "not base64!",
    "x" * 5000,
    [],
    [1, "a", None],
    ["a", None],
    [[[]]],
    {},
    {"a": 1},
    {"__type": 5},
    DEEP,
)
ODD_CODES: tuple[Any, ...] = (
    "RequestTimeTooSkewed",
    "InvalidSignatureException",
    "RepositoryNotFoundException",
    "ThrottlingException",
    "com.amazonaws.ecr#ServerException:http://internal",
    "#",
    ":",
    "",
    "NoSuchThing",
    5,
    None,
    ["x"],
    {"a": "b"},
    "x" * 3000,
)
ODD_MESSAGES: tuple[Any, ...] = (
    "Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z",
    "",
    5,
    1e308,
    None,
    ["a", {"b": [1]}],
    {"nested": {"deeper": [1, 2, 3]}},
    "m" * 1_000_000,
    DEEP,
)
ODD_DATES: tuple[str | None, ...] = (
    None,
    "Mon, 01 Jan 2024 00:00:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Mon, 01 Jan 99999999999 00:00:00 GMT",
    "Mon, 01 Jan 2024 00:00:00 +99999999999999999999",
    "Mon, 99999999999999999999 Jan 2024 00:00:00 GMT",
    "Mon, 01 Jan 2024 99:99:99 GMT",
    "1 Jan 0 00:00:00",
    "yesterday",
    "",
)
ODD_RETRY_AFTER: tuple[str | None, ...] = (None, "100", "-5", "x", "9" * 400, "1e400")


def operation_names() -> list[str]:
    return sorted(SERVICE_MODEL.operation_names)


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


class HostileAnswers:
    """Answers for any operation; ``deep`` is how far the over-nested JSON goes."""

    def __init__(self, seed: int, *, deep: int = 100_000) -> None:
        self.rng = random.Random(seed)
        self.deep = deep

    def answer(self, operation: str) -> tuple[int, dict[str, str], bytes]:
        roll = self.rng.random()
        if roll < 0.6:
            return 200, self._headers(), self._mutated_result(operation)
        if roll < 0.75:
            return self._error_answer()
        return self.rng.choice((200, 500)), self._headers(), self._broken_body(operation)

    # -- result bodies --------------------------------------------------------------------

    def _mutated_result(self, operation: str) -> bytes:
        shape = SERVICE_MODEL.operation_model(operation).output_shape
        body = (
            generate(shape, self.rng.randrange(2**32), "wire", optional_probability=0.9)
            if shape is not None
            else {}
        )
        for _ in range(self.rng.choice((1, 1, 1, 2, 3))):
            self._mutate(body, shape)
        return self._encode(body)

    def _mutate(self, body: dict[str, Any], shape: Any) -> None:
        """Replace one value at a random member path (or add one at a random member)."""
        holder: Any = body
        key: Any = None
        while True:
            if isinstance(holder, dict) and holder and self.rng.random() < 0.8:
                key = self.rng.choice(list(holder))
            elif isinstance(holder, list) and holder and self.rng.random() < 0.8:
                key = self.rng.randrange(len(holder))
            else:
                break
            inner = holder[key]
            if not isinstance(inner, (dict, list)) or self.rng.random() < 0.3:
                break
            holder, key = inner, None
        if key is None and shape is not None and isinstance(holder, dict):
            key = self.rng.choice([*shape.members, "unmodelled"] if shape.members else ["x"])
        if key is None:
            return
        holder[key] = self.odd_value()

    def odd_value(self) -> Any:
        if self.rng.random() < 0.15:
            return self.rng.choice([self.rng.randrange(-(2**70), 2**70), self.rng.random() * 1e25])
        # A copy: a later mutation may descend into it, and the table must stay as it is.
        return copy.deepcopy(self.rng.choice(ODD_VALUES))

    def _encode(self, body: Any) -> bytes:
        return json.dumps(body).replace(f'"{DEEP}"', deep_json(self.deep)).encode()

    def _broken_body(self, operation: str) -> bytes:
        choice = self.rng.randrange(6)
        if choice == 0:
            return self.rng.randbytes(self.rng.randrange(64))
        if choice == 1:
            return self._mutated_result(operation)[: self.rng.randrange(1, 40)]
        if choice == 2:
            return deep_json(self.deep).encode()
        if choice == 3:
            return json.dumps(self.odd_value()).replace(f'"{DEEP}"', "[]").encode()
        if choice == 4:
            return b""
        return b"<html>bad gateway</html>"

    # -- error answers --------------------------------------------------------------------

    def _error_answer(self) -> tuple[int, dict[str, str], bytes]:
        status = self.rng.choice((400, 403, 404, 429, 500, 503))
        body: dict[str, Any] = {}
        if self.rng.random() < 0.9:
            body["__type"] = copy.deepcopy(self.rng.choice(ODD_CODES))
        key = self.rng.choice(("message", "Message"))
        body[key] = copy.deepcopy(self.rng.choice(ODD_MESSAGES))
        if self.rng.random() < 0.3:
            body[self.rng.choice(("registryId", "repositoryName", "kmsError"))] = self.odd_value()
        headers = self._headers()
        if self.rng.random() < 0.3:
            headers["x-amzn-ErrorType"] = self.rng.choice(("ServerException:x", "", "#", "X"))
        return status, headers, self._encode(body)

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "fuzz"}
        date = self.rng.choice(ODD_DATES)
        if date is not None:
            headers["Date"] = date
        retry_after = self.rng.choice(ODD_RETRY_AFTER)
        if retry_after is not None:
            headers["x-amz-retry-after"] = retry_after
        return headers
