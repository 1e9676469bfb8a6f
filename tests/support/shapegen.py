"""Random, valid values for botocore shapes, for differential tests against botocore.

Everything is drawn from a ``random.Random`` the caller seeds, so a failing case replays from its
seed. Values honour the model's constraints: ``min``/``max`` lengths and ranges, enums, the
``pattern`` regular expressions (each pattern in the ECR model has a generator below, and every
generated string is checked with ``re.search``), required members (always present) and list and
map bounds.

Two forms are produced:

* ``"params"``: what a caller passes to boto3: tz-aware UTC ``datetime`` values with whole seconds
  for timestamps and ``bytes`` for blobs, keyed by member name.
* ``"wire"``: the JSON-ready awsJson body: epoch seconds for timestamps (some of them fractional,
  as the service sends them) and base64 text for blobs, keyed by the serialized name.
"""

from __future__ import annotations

import base64
import random
import re
import string
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, Literal

from botocore.model import ListShape, MapShape, Shape, StructureShape

Form = Literal["params", "wire"]

MAX_DEPTH = 12
"""Below this depth optional members are left out and lists and maps get their minimum size, so
recursive shapes terminate."""

MAX_ITEMS = 3
"""Lists and maps get at most this many entries beyond their minimum."""

LONG_STRING_SPAN = 40
"""How far above its minimum a string with a large maximum may grow."""

MAX_EPOCH = 4_102_444_800  # 2100-01-01T00:00:00Z
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)

# Characters for strings without a pattern: ASCII, JSON escapes, control characters and text
# outside Latin-1 and outside the Basic Multilingual Plane.
FREE_TEXT = string.ascii_letters + string.digits + " -_./:@+=,*" + '"\\\n\t\x00\x7f' + "é߀中😀"

LOWER_ALNUM = string.ascii_lowercase + string.digits
REGIONS = (
    "us-east-1",
    "eu-west-3",
    "ap-southeast-2",
    "cn-north-1",
    "us-gov-west-1",
    "il-central-1",
)
PARTITIONS = ("", "-cn", "-us-gov", "-iso-b")  # each matches both (-\w+)* and (-[a-z]+)*


# --------------------------------------------------------------------------------------------
# Strings with a pattern. Each generator takes (rng, min_len, max_len) and returns a string of a
# length within the bounds that matches its pattern.
# --------------------------------------------------------------------------------------------


def _chars(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _target_len(rng: random.Random, low: int, high: int, span: int = LONG_STRING_SPAN) -> int:
    """A length in [low, high]: often an end of the range, else random near the minimum."""
    if low > high:
        raise ValueError(f"no length fits [{low}, {high}]")
    top = min(high, low + span)
    choice = rng.random()
    if choice < 0.15:
        return low
    if choice < 0.25 and high - low <= 1024:
        return high
    return rng.randint(low, top)


def _path_like(rng: random.Random, length: int, alnum: str, separators: tuple[str, ...]) -> str:
    """Exactly ``length`` characters: ``alnum`` runs joined by separators, never two separators
    in a row and never a separator first or last."""
    if length < 1:
        raise ValueError("a path needs at least one character")
    out = [rng.choice(alnum)]
    size = 1
    while size < length:
        remaining = length - size
        fitting = [sep for sep in separators if len(sep) <= remaining - 1]
        if fitting and rng.random() < 0.25:
            sep = rng.choice(fitting)
            out.append(sep)
            size += len(sep)
        out.append(rng.choice(alnum))
        size += 1
    return "".join(out)


def _with_tail(
    rng: random.Random,
    head: str,
    low: int,
    high: int,
    tail: Callable[[int], str],
    min_tail: int = 1,
) -> str:
    """``head`` plus a tail sized so that the whole fits [low, high]."""
    length = _target_len(rng, max(low, len(head) + min_tail), high)
    return head + tail(length - len(head))


def _account(rng: random.Random) -> str:
    return _chars(rng, string.digits, 12)


def gen_repository_name(rng: random.Random, low: int, high: int) -> str:
    seps = (".", "_", "__", "-", "--", "---", "/")
    return _path_like(rng, _target_len(rng, max(low, 1), high), LOWER_ALNUM, seps)


def gen_prefix(rng: random.Random, low: int, high: int) -> str:
    if rng.random() < 0.15 and low <= 4 <= high:
        return "ROOT"
    seps = (".", "_", "__", "-", "--", "/")
    if rng.random() < 0.3 and high >= 2:
        # A trailing slash is allowed.
        length = _target_len(rng, max(low, 2), high)
        return _path_like(rng, length - 1, LOWER_ALNUM, seps) + "/"
    return _path_like(rng, _target_len(rng, max(low, 1), high), LOWER_ALNUM, seps)


def gen_repository_filter_value(rng: random.Random, low: int, high: int) -> str:
    return _path_like(rng, _target_len(rng, max(low, 1), high), LOWER_ALNUM, (".", "_", "-", "/"))


def gen_scanning_repository_filter_value(rng: random.Random, low: int, high: int) -> str:
    alnum = LOWER_ALNUM + "*"
    return _path_like(rng, _target_len(rng, max(low, 1), high), alnum, (".", "_", "-", "/"))


def gen_signing_repository_filter_value(rng: random.Random, low: int, high: int) -> str:
    alnum = LOWER_ALNUM + "*"
    return _path_like(rng, _target_len(rng, max(low, 1), high), alnum, (".", "_", "-", "/"))


def gen_registry_id(rng: random.Random, low: int, high: int) -> str:
    return _account(rng)


def gen_region(rng: random.Random, low: int, high: int) -> str:
    region = rng.choice(REGIONS)
    if rng.random() < 0.5 and low <= len(region) <= high:
        return region
    return _chars(rng, LOWER_ALNUM + "-", _target_len(rng, max(low, 2), min(high, 25)))


def gen_upload_id(rng: random.Random, low: int, high: int) -> str:
    text = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return text.upper() if rng.random() < 0.3 else text


def gen_layer_digest(rng: random.Random, low: int, high: int) -> str:
    algorithm = rng.choice(("sha256", "sha512", "sha-256", "sha256+b64u.x"))
    size = 128 if algorithm == "sha512" else 64
    return f"{algorithm}:{_chars(rng, '0123456789abcdefABCDEF', size)}"


def gen_base64(rng: random.Random, low: int, high: int) -> str:
    raw = rng.randbytes(rng.randint(1, 48))
    return base64.b64encode(raw).decode("ascii")


def gen_tag_exclusion_filter(rng: random.Random, low: int, high: int) -> str:
    alphabet = string.ascii_letters + string.digits + "._*-"
    return _chars(rng, alphabet, _target_len(rng, max(low, 1), min(high, 128)))


def gen_credential_arn(rng: random.Random, low: int, high: int) -> str:
    head = (
        f"arn:aws{rng.choice(PARTITIONS)}:secretsmanager:{rng.choice(REGIONS)}:"
        f"{_account(rng)}:secret:ecr-pullthroughcache/"
    )
    alphabet = string.ascii_letters + string.digits + "/_+=.@-"
    return _with_tail(rng, head, low, high, lambda n: _chars(rng, alphabet, n))


def gen_kms_key_arn(rng: random.Random, low: int, high: int) -> str:
    if low == 0 and rng.random() < 0.2:
        return ""
    head = f"arn:aws{rng.choice(PARTITIONS)}:kms:{rng.choice(REGIONS)}:{_account(rng)}:key/"
    return _with_tail(rng, head, low, high, lambda n: _chars(rng, LOWER_ALNUM + "-", n))


def gen_principal_arn(rng: random.Random, low: int, high: int) -> str:
    head = f"arn:aws{rng.choice(PARTITIONS)}:iam::{_account(rng)}:{rng.choice(('role', 'user'))}/"
    word = string.ascii_letters + string.digits + "_+=,.@-"
    return _with_tail(rng, head, low, high, lambda n: _path_like(rng, n, word, ("/",)))


def gen_signing_profile_arn(rng: random.Random, low: int, high: int) -> str:
    head = (
        f"arn:aws{rng.choice(PARTITIONS)}:signer:{rng.choice(REGIONS)}:{_account(rng)}"
        ":/signing-profiles/"
    )
    alphabet = string.ascii_letters + string.digits + "_"
    return _with_tail(rng, head, low, high, lambda n: _chars(rng, alphabet, n), min_tail=2)


PATTERN_GENERATORS: dict[str, Callable[[random.Random, int, int], str]] = {
    r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*": (
        gen_repository_name
    ),
    r"^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$": (
        gen_prefix
    ),
    r"^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$": (
        gen_repository_filter_value
    ),
    r"^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$": gen_scanning_repository_filter_value,
    r"^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$": (
        gen_signing_repository_filter_value
    ),
    r"[0-9]{12}": gen_registry_id,
    r"[0-9a-z-]{2,25}": gen_region,
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}": gen_upload_id,
    r"[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+": gen_layer_digest,
    r"^\S+$": gen_base64,
    r"^[0-9a-zA-Z._*-]{1,128}$": gen_tag_exclusion_filter,
    (
        r"^arn:aws(-\w+)*:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\-pullthroughcache\/"
        r"[a-zA-Z0-9\/_+=.@-]+$"
    ): gen_credential_arn,
    r"^$|arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[a-z0-9-]+": gen_kms_key_arn,
    r"^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)/[\w+=,.@-]+(/[\w+=,.@-]+)*$": (
        gen_principal_arn
    ),
    (
        r"^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\/signing-profiles\/[a-zA-Z0-9_]{2,}$"
    ): gen_signing_profile_arn,
}
"""A generator for every regular expression the ECR model uses, keyed by the exact pattern."""


class NoGeneratorError(LookupError):
    """The model has a pattern this module has no generator for."""


# --------------------------------------------------------------------------------------------
# Shapes.
# --------------------------------------------------------------------------------------------


class ShapeGenerator:
    """Random valid values for botocore shapes.

    ``optional_probability`` is the chance that an optional member is present (1.0: every member
    down to :data:`MAX_DEPTH`; 0.0: only required members).
    """

    def __init__(self, rng: random.Random, *, optional_probability: float = 0.5) -> None:
        self.rng = rng
        self.optional_probability = optional_probability

    def value(self, shape: Shape, form: Form, depth: int = 0) -> Any:
        handler = getattr(self, f"_gen_{shape.type_name}", None)
        if handler is None:
            raise NotImplementedError(f"no generator for {shape.type_name} ({shape.name})")
        return handler(shape, form, depth)

    # -- aggregates --------------------------------------------------------------------------

    def _gen_structure(self, shape: StructureShape, form: Form, depth: int) -> dict[str, Any]:
        required = set(shape.required_members)
        out: dict[str, Any] = {}
        for name, member in shape.members.items():
            if name not in required:
                if depth >= MAX_DEPTH or self.rng.random() >= self.optional_probability:
                    continue
            elif depth >= MAX_DEPTH * 4:
                raise RecursionError(f"{shape.name} requires itself without end")
            key = member.serialization.get("name", name) if form == "wire" else name
            out[key] = self.value(member, form, depth + 1)
        return out

    def _count(self, shape: Shape, depth: int) -> int:
        low = shape.metadata.get("min", 0)
        if depth >= MAX_DEPTH:
            return low
        high = min(shape.metadata.get("max", low + MAX_ITEMS), low + MAX_ITEMS, MAX_ITEMS)
        return self.rng.randint(low, max(low, high))

    def _gen_list(self, shape: ListShape, form: Form, depth: int) -> list[Any]:
        return [self.value(shape.member, form, depth + 1) for _ in range(self._count(shape, depth))]

    def _gen_map(self, shape: MapShape, form: Form, depth: int) -> dict[str, Any]:
        wanted = self._count(shape, depth)
        out: dict[str, Any] = {}
        for _ in range(wanted * 20):
            if len(out) == wanted:
                break
            key = self.value(shape.key, form, depth + 1)
            if key not in out:
                out[key] = self.value(shape.value, form, depth + 1)
        if len(out) < shape.metadata.get("min", 0):
            raise ValueError(f"{shape.name}: could not draw enough distinct keys")
        return out

    # -- scalars -----------------------------------------------------------------------------

    def _gen_string(self, shape: Shape, form: Form, depth: int) -> str:
        meta = shape.metadata
        low = meta.get("min", 0)
        high = meta.get("max", low + LONG_STRING_SPAN)
        if "enum" in meta:
            value = self.rng.choice(meta["enum"])
        elif "pattern" in meta:
            try:
                generator = PATTERN_GENERATORS[meta["pattern"]]
            except KeyError:
                raise NoGeneratorError(
                    f"{shape.name}: no generator for pattern {meta['pattern']!r}"
                ) from None
            value = generator(self.rng, low, high)
        else:
            value = _chars(self.rng, FREE_TEXT, _target_len(self.rng, low, high))
        check_string(shape, value)
        return value

    def _gen_integer(self, shape: Shape, form: Form, depth: int) -> int:
        return self._int_in(shape, *INT32)

    def _gen_long(self, shape: Shape, form: Form, depth: int) -> int:
        return self._int_in(shape, *INT64)

    def _int_in(self, shape: Shape, floor: int, ceiling: int) -> int:
        low = shape.metadata.get("min", floor)
        high = shape.metadata.get("max", ceiling)
        choice = self.rng.random()
        if choice < 0.15:
            return low
        if choice < 0.25:
            return high
        if choice < 0.7:
            return self.rng.randint(low, min(high, max(low, 0) + 1000))
        return self.rng.randint(low, high)

    def _gen_double(self, shape: Shape, form: Form, depth: int) -> float:
        low = shape.metadata.get("min", -1e9)
        high = shape.metadata.get("max", 1e9)
        choice = self.rng.random()
        if choice < 0.2:
            return float(self.rng.randint(int(max(low, -10)), int(min(high, 10))))
        if choice < 0.6:
            return round(self.rng.uniform(max(low, 0.0), min(high, 10.0)), self.rng.randint(0, 3))
        return self.rng.uniform(low, high)

    _gen_float = _gen_double

    def _gen_boolean(self, shape: Shape, form: Form, depth: int) -> bool:
        return self.rng.random() < 0.5

    def _gen_timestamp(self, shape: Shape, form: Form, depth: int) -> Any:
        seconds = 0 if self.rng.random() < 0.05 else self.rng.randint(0, MAX_EPOCH)
        if form == "params":
            return datetime.fromtimestamp(seconds, timezone.utc)
        choice = self.rng.random()
        if choice < 0.4:
            return seconds
        if choice < 0.8:
            # Milliseconds, as the service sends them (e.g. 1.700000000123E9).
            return round(seconds + self.rng.randint(0, 999) / 1000, 3)
        return seconds + self.rng.randint(0, 999_999) / 1_000_000

    def _gen_blob(self, shape: Shape, form: Form, depth: int) -> Any:
        low = shape.metadata.get("min", 0)
        high = shape.metadata.get("max", low + 64)
        raw = self.rng.randbytes(_target_len(self.rng, low, high, span=64))
        return raw if form == "params" else base64.b64encode(raw).decode("ascii")


def check_string(shape: Shape, value: str) -> None:
    """Raise AssertionError unless ``value`` fits the shape's constraints."""
    meta = shape.metadata
    if "min" in meta and len(value) < meta["min"]:
        raise AssertionError(f"{shape.name}: {value!r} is shorter than {meta['min']}")
    if "max" in meta and len(value) > meta["max"]:
        raise AssertionError(f"{shape.name}: {value!r} is longer than {meta['max']}")
    if "enum" in meta and value not in meta["enum"]:
        raise AssertionError(f"{shape.name}: {value!r} is not one of {meta['enum']}")
    if "pattern" in meta and re.search(meta["pattern"], value) is None:
        raise AssertionError(f"{shape.name}: {value!r} does not match {meta['pattern']!r}")


def generate(shape: Shape, seed: int, form: Form, *, optional_probability: float = 0.5) -> Any:
    """A valid value of ``shape`` drawn from ``random.Random(seed)``."""
    generator = ShapeGenerator(random.Random(seed), optional_probability=optional_probability)
    return generator.value(shape, form)
