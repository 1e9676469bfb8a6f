"""boto3 as the oracle for ``ecrclient.client("ecr")``: the same call through both clients
against the same scripted server, and strict comparisons of what each sent and returned.

A :class:`Pair` holds a boto3 client and an ecrclient client configured alike and pointed at one
:class:`~faultserver.FaultServer`. :meth:`Pair.run` scripts the same answers for each client in
turn, makes the same call, and records an :class:`Outcome` per client: the value returned or
the exception raised, the requests the server read, and the pauses each client asked for. The
``assert_same_*`` helpers then compare the two outcomes; no expected value is ever written by
hand.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import threading
import time
import types
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, WaiterError
from faultserver import AwsError, FaultServer, Json, RecordedRequest, Respond
from pinned import SERVICE_MODEL
from shapegen import ShapeGenerator

import ecrclient

REGION = "us-east-1"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
KEYS = {"aws_access_key_id": ACCESS_KEY, "aws_secret_access_key": SECRET_KEY}

REQUEST_ID = "c0ffee00-0000-4000-8000-000000000000"
FIXED_DATE = "Sat, 01 Jan 2000 00:00:00 GMT"
FIXED_HEADERS = {"x-amzn-RequestId": REQUEST_ID, "Date": FIXED_DATE}
"""Headers the server would otherwise make up per request; fixed, both clients see the same."""

NO_RETRIES = Config(retries={"max_attempts": 0})

AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[a-z0-9-]+)"
    r"/(?P<service>[a-z0-9-]+)/aws4_request, SignedHeaders=(?P<signed>[a-z0-9;-]+), "
    r"Signature=[0-9a-f]{64}$"
)


# --------------------------------------------------------------------------------------------
# Scripted answers with deterministic headers.
# --------------------------------------------------------------------------------------------


def fixed(action: Any) -> Any:
    """``action`` (Respond, Json or AwsError) with the fixed Date and request id added."""
    return dataclasses.replace(action, headers={**FIXED_HEADERS, **dict(action.headers)})


def ok(payload: dict[str, Any], status: int = 200) -> Json:
    return fixed(Json(status, payload))


def error(status: int, code: str, message: str = "boom") -> AwsError:
    return fixed(AwsError(status, code, message))


def raw(status: int, body: bytes, headers: dict[str, str] | None = None) -> Respond:
    return fixed(Respond(status, body=body, headers=headers or {}))


def json_error(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Respond:
    """An error answer with exactly this JSON body and these headers (plus the fixed ones)."""
    base = {"Content-Type": "application/x-amz-json-1.1", **(headers or {})}
    return raw(status, json.dumps(body).encode(), base)


FIXED_DEFAULT = raw(200, b"{}", {"Content-Type": "application/x-amz-json-1.1"})
"""What the server answers once a script runs out: an empty result, with fixed headers."""


# --------------------------------------------------------------------------------------------
# Running the same call on both clients.
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    label: str
    result: Any = None
    error: BaseException | None = None
    requests: list[RecordedRequest] = dataclasses.field(default_factory=list)
    sleeps: list[float] = dataclasses.field(default_factory=list)

    def describe(self, limit: int = 300) -> str:
        if self.error is not None:
            text = f"{self.label} raised {type(self.error).__name__}: {self.error}"
        else:
            text = f"{self.label} returned {self.result!r}"
        return text if len(text) <= limit else text[:limit] + "..."


class SleepRecorder:
    """Stands in for ``time.sleep``: records each pause and sleeps for none of it, except that
    anything but a positive number goes to the real ``time.sleep`` (a zero sleeps no time;
    a negative or non-numeric length raises exactly as ``time.sleep`` does)."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        positive = isinstance(seconds, int | float) and not isinstance(seconds, bool)
        if not (positive and seconds > 0):
            time.sleep(seconds)

    def take(self) -> list[float]:
        calls, self.calls = self.calls, []
        return calls


BOTO_SLEEPS = SleepRecorder()
"""Pauses botocore asks for (retries in ``botocore.endpoint``, waiters in ``botocore.waiter``);
the test module patches those modules' ``time`` to use it."""


class _PatchedTime:
    """A ``time`` module whose ``sleep`` is :data:`BOTO_SLEEPS`."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        BOTO_SLEEPS(seconds)


PATCHED_TIME = _PatchedTime()


class VirtualTime:
    """``time`` for botocore's adaptive-mode token bucket: its waits advance a virtual clock
    at once instead of blocking, so the bucket sees time pass and the test does not wait."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def sleep(self, seconds: float) -> None:
        self.offset += max(0.0, seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


VIRTUAL_TIME = VirtualTime()


class _InstantCondition(threading.Condition):
    def wait(self, timeout: float | None = None) -> bool:
        if timeout:
            VIRTUAL_TIME.offset += timeout
        return super().wait(0)


BUCKET_THREADING = types.SimpleNamespace(Lock=threading.Lock, Condition=_InstantCondition)
"""``threading`` for ``botocore.retries.bucket``: condition waits advance :data:`VIRTUAL_TIME`."""


def boto3_client(url: str | None, *, config: Config | None = None, **kwargs: Any) -> Any:
    options: dict[str, Any] = {"region_name": REGION, **KEYS, **kwargs}
    if url is not None:
        options["endpoint_url"] = url
    return boto3.client("ecr", config=config, **options)


def ecr_client(url: str | None, *, config: Config | None = None, **kwargs: Any) -> Any:
    options: dict[str, Any] = {"region_name": REGION, **KEYS, **kwargs}
    if url is not None:
        options["endpoint_url"] = url
    client = ecrclient.client("ecr", config=config, **options)
    client.ours_sleeps = SleepRecorder()
    client.typed._sleep = client.ours_sleeps
    return client


class Pair:
    """A boto3 client and an ecrclient client made with the same arguments."""

    def __init__(self, server: FaultServer, *, config: Config | None = None, **kwargs: Any):
        self.server = server
        self.boto = boto3_client(server.url, config=config, **kwargs)
        self.ours = ecr_client(server.url, config=config, **kwargs)

    def close(self) -> None:
        self.boto.close()
        self.ours.close()

    def _run_one(
        self, label: str, client: Any, call: Callable[[Any], Any], actions: Sequence[Any]
    ) -> Outcome:
        self.server.default = FIXED_DEFAULT
        self.server.script(list(actions))
        before = len(self.server.requests)
        BOTO_SLEEPS.take()
        if label == "ecrclient":
            client.ours_sleeps.take()
        outcome = Outcome(label)
        try:
            outcome.result = call(client)
        except Exception as exc:
            outcome.error = exc
        outcome.requests = self.server.requests[before:]
        outcome.sleeps = client.ours_sleeps.take() if label == "ecrclient" else BOTO_SLEEPS.take()
        return outcome

    def run(
        self,
        call: Callable[[Any], Any],
        actions: Sequence[Any] = (),
        boto_actions: Sequence[Any] | None = None,
    ) -> tuple[Outcome, Outcome]:
        """``call(client)`` on ecrclient and on boto3, each facing ``actions`` (boto3 faces
        ``boto_actions`` instead when given); returns ``(ours, theirs)``."""
        theirs = self._run_one(
            "boto3", self.boto, call, actions if boto_actions is None else boto_actions
        )
        ours = self._run_one("ecrclient", self.ours, call, actions)
        return ours, theirs

    def method(
        self,
        name: str,
        params: dict[str, Any],
        actions: Sequence[Any] = (),
        boto_actions: Sequence[Any] | None = None,
    ) -> tuple[Outcome, Outcome]:
        return self.run(lambda client: getattr(client, name)(**params), actions, boto_actions)


# --------------------------------------------------------------------------------------------
# Comparisons.
# --------------------------------------------------------------------------------------------


def assert_same(ours: Any, theirs: Any, path: str = "$") -> None:
    """Equal values of equal types, with a path to the first difference.

    ``1`` and ``1.0``, ``True`` and ``1``, ``str`` and ``bytes`` differ; datetimes must be the
    same instant with the same wall time, tz class and UTC offset (botocore's are ``tzlocal()``).
    """
    if isinstance(theirs, dict):
        assert isinstance(ours, dict), f"{path}: ecrclient {ours!r}, boto3 {theirs!r}"
        only_ours = sorted(map(repr, ours.keys() - theirs.keys()))
        only_theirs = sorted(map(repr, theirs.keys() - ours.keys()))
        assert not only_ours and not only_theirs, (
            f"{path}: keys only from ecrclient {only_ours}, only from boto3 {only_theirs}"
        )
        for key in theirs:
            assert_same(ours[key], theirs[key], f"{path}.{key}")
    elif isinstance(theirs, list):
        assert isinstance(ours, list), f"{path}: ecrclient {ours!r}, boto3 {theirs!r}"
        assert len(ours) == len(theirs), (
            f"{path}: {len(ours)} items from ecrclient, {len(theirs)} from boto3"
        )
        for n, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
            assert_same(mine, other, f"{path}[{n}]")
    elif isinstance(theirs, datetime):
        assert isinstance(ours, datetime), f"{path}: ecrclient {ours!r}, boto3 {theirs!r}"
        assert ours == theirs, f"{path}: ecrclient {ours.isoformat()}, boto3 {theirs.isoformat()}"
        assert type(ours.tzinfo) is type(theirs.tzinfo), (
            f"{path}: ecrclient tzinfo {ours.tzinfo!r}, boto3 tzinfo {theirs.tzinfo!r}"
        )
        assert ours.utcoffset() == theirs.utcoffset(), (
            f"{path}: ecrclient {ours.isoformat()}, boto3 {theirs.isoformat()}"
        )
        assert ours.replace(tzinfo=None) == theirs.replace(tzinfo=None), (
            f"{path}: ecrclient wall time {ours.isoformat()}, boto3 {theirs.isoformat()}"
        )
    else:
        assert type(ours) is type(theirs) and ours == theirs, (
            f"{path}: ecrclient {ours!r} ({type(ours).__name__}), "
            f"boto3 {theirs!r} ({type(theirs).__name__})"
        )


def json_body(request: RecordedRequest) -> Any:
    return json.loads(request.body) if request.body else None


def assert_same_request(ours: RecordedRequest, theirs: RecordedRequest, n: int = 0) -> None:
    """Same method, path, target, content type and JSON body; a valid SigV4 header with the
    same access key, date, region and service scope."""
    where = f"request {n}"
    assert ours.method == theirs.method, f"{where}: method {ours.method} vs {theirs.method}"
    assert ours.path == theirs.path, f"{where}: path {ours.path} vs {theirs.path}"
    for name in ("x-amz-target", "content-type", "x-amz-security-token"):
        assert ours.headers.get(name) == theirs.headers.get(name), (
            f"{where}: {name}: ecrclient {ours.headers.get(name)!r}, "
            f"boto3 {theirs.headers.get(name)!r}"
        )
    assert_same(json_body(ours), json_body(theirs), f"{where} body")
    auth_ours = AUTHORIZATION.match(ours.headers.get("authorization", ""))
    auth_theirs = AUTHORIZATION.match(theirs.headers.get("authorization", ""))
    assert auth_theirs is not None, f"{where}: boto3 Authorization {theirs.headers}"
    assert auth_ours is not None, (
        f"{where}: ecrclient Authorization {ours.headers.get('authorization')!r}"
    )
    for part in ("key", "region", "service"):
        assert auth_ours[part] == auth_theirs[part], (
            f"{where}: credential {part}: {auth_ours[part]} vs {auth_theirs[part]}"
        )
    assert auth_ours["service"] == "ecr"
    signed = set(auth_ours["signed"].split(";"))
    assert {"host", "x-amz-date", "x-amz-target", "content-type"} <= signed, signed
    assert auth_ours["date"] == ours.headers["x-amz-date"][:8]


def assert_same_requests(ours: Outcome, theirs: Outcome) -> None:
    assert len(ours.requests) == len(theirs.requests), (
        f"ecrclient sent {len(ours.requests)} requests, boto3 {len(theirs.requests)}; "
        f"{ours.describe()}; {theirs.describe()}"
    )
    for n, (mine, other) in enumerate(zip(ours.requests, theirs.requests, strict=True)):
        assert_same_request(mine, other, n)


BOTOCORE_CRASHES = (AttributeError, TypeError, KeyError, ValueError)
"""Where botocore fails with a plain Python error on input it cannot handle, the drop-in
raises a clear SDK error instead (a deliberate difference listed in the README)."""


def assert_same_error(ours: BaseException | None, theirs: BaseException) -> None:
    same = type(ours) is type(theirs) and str(ours) == str(theirs)
    if type(theirs) in BOTOCORE_CRASHES and not same:
        assert isinstance(ours, (BotoCoreError, ClientError)), (
            f"boto3 crashed with {type(theirs).__name__}: {theirs}; ecrclient must raise a "
            f"clear SDK error, got {type(ours).__name__ if ours else 'nothing'}: {ours}"
        )
        return
    assert ours is not None, f"boto3 raised {type(theirs).__name__}: {theirs}; ecrclient did not"
    if isinstance(theirs, ClientError):
        assert isinstance(ours, ClientError), (
            f"boto3 raised {type(theirs).__name__}: {theirs}; "
            f"ecrclient raised {type(ours).__name__}: {ours}"
        )
        assert type(ours).__name__ == type(theirs).__name__, (
            f"class: ecrclient {type(ours).__name__}, boto3 {type(theirs).__name__}"
        )
        if type(theirs) is ClientError:
            assert type(ours) is ClientError, f"ecrclient raised {type(ours)!r}, not ClientError"
        assert str(ours) == str(theirs), f"str: ecrclient {ours}, boto3 {theirs}"
        assert_same(ours.response, theirs.response, "$response")
        assert ours.operation_name == theirs.operation_name
        return
    assert isinstance(ours, type(theirs)), (
        f"boto3 raised {type(theirs).__module__}.{type(theirs).__name__}: {theirs}; "
        f"ecrclient raised {type(ours).__module__}.{type(ours).__name__}: {ours}"
    )
    assert str(ours) == str(theirs), f"str: ecrclient {ours!r}, boto3 {theirs!r}"
    if isinstance(theirs, WaiterError):
        assert_same(ours.last_response, theirs.last_response, "$last_response")
        assert ours.kwargs.keys() == theirs.kwargs.keys()
    elif isinstance(theirs, BotoCoreError):
        assert ours.kwargs.keys() == theirs.kwargs.keys(), (
            f"kwargs: ecrclient {ours.kwargs}, boto3 {theirs.kwargs}"
        )


def assert_same_outcome(ours: Outcome, theirs: Outcome, *, requests: bool = True) -> None:
    """The same requests (if ``requests``) and the same returned value or raised error."""
    if requests:
        assert_same_requests(ours, theirs)
    else:
        assert len(ours.requests) == len(theirs.requests), (
            f"ecrclient sent {len(ours.requests)} requests, boto3 {len(theirs.requests)}"
        )
    if theirs.error is None:
        assert ours.error is None, f"{ours.describe(600)}; but {theirs.describe()}"
        assert_same(ours.result, theirs.result)
    else:
        assert_same_error(ours.error, theirs.error)


def difference(check: Callable[[], None]) -> str | None:
    """The AssertionError text of ``check()``, or None when it passes."""
    try:
        check()
    except AssertionError as exc:
        return str(exc).split("\nassert ")[0]
    return None


def assert_no_differences(differences: Iterable[str | None], limit: int = 25) -> None:
    found = [d for d in differences if d]
    shown = "\n".join(f"- {d}" for d in found[:limit])
    more = f"\n... and {len(found) - limit} more" if len(found) > limit else ""
    assert not found, f"{len(found)} difference(s) from boto3:\n{shown}{more}"


# --------------------------------------------------------------------------------------------
# Generated values.
# --------------------------------------------------------------------------------------------


def generator(*seed: object, optional_probability: float = 0.5) -> ShapeGenerator:
    return ShapeGenerator(
        random.Random("compat/" + "/".join(map(str, seed))),
        optional_probability=optional_probability,
    )


class LaxShapeGenerator(ShapeGenerator):
    """Like :class:`ShapeGenerator`, but every structure member is optional: models mark output
    members required that services do not always send, and botocore never checks."""

    def _gen_structure(self, shape: Any, form: Any, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, member in shape.members.items():
            if depth >= 8 or self.rng.random() >= self.optional_probability:
                continue
            key = member.serialization.get("name", name) if form == "wire" else name
            out[key] = self.value(member, form, depth + 1)
        return out


def lax_response_wire(operation: str, seed: str) -> dict[str, Any]:
    """A response body in which any member, required or not, may be missing."""
    shape = SERVICE_MODEL.operation_model(operation).output_shape
    if shape is None:
        return {}
    gen = LaxShapeGenerator(
        random.Random(f"compat/{operation}/{seed}/lax"), optional_probability=0.6
    )
    wire: dict[str, Any] = gen.value(shape, "wire")
    return wire


def request_params(operation: str, variant: str, probability: float) -> dict[str, Any]:
    shape = SERVICE_MODEL.operation_model(operation).input_shape
    if shape is None:
        return {}
    gen = generator(operation, variant, "request", optional_probability=probability)
    params: dict[str, Any] = gen.value(shape, "params")
    return params


def response_wire(operation: str, variant: str, probability: float) -> dict[str, Any]:
    shape = SERVICE_MODEL.operation_model(operation).output_shape
    if shape is None:
        return {}
    gen = generator(operation, variant, "response", optional_probability=probability)
    wire: dict[str, Any] = gen.value(shape, "wire")
    return wire
