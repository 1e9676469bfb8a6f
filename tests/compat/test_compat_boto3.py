"""``ecrclient.client("ecr")`` against ``boto3.client("ecr")``: the same calls, the same answers.

boto3 is the oracle for every expectation here. Each test makes one call on both clients, both
pointed at the same scripted :class:`~faultserver.FaultServer` (answers with fixed headers, so
the two clients see byte-identical responses) or at the same moto server, and compares:

* what each sent (target, JSON body, SigV4 scope) and how many requests;
* what each returned (the whole dict, ``ResponseMetadata`` included, with strict value types
  and tz-aware local datetimes) or raised (class name, ``str``, ``response``,
  ``operation_name``);
* paginators' pages, full results, resume tokens and searches; waiters' polls and errors.

botocore's pauses (retries and waiters) and ecrclient's are recorded instead of slept, so the
retry and waiter scenarios run at full speed and can compare the pauses each asked for. The
local time zone is set to America/New_York for this module, so a UTC-vs-local mix-up shows.
"""

from __future__ import annotations

import base64
import datetime
import io
import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.endpoint
import botocore.retries.bucket
import botocore.waiter
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError, WaiterError
from botocore.parsers import ResponseParserError
from compat_oracle import (
    BOTO_SLEEPS,
    BUCKET_THREADING,
    NO_RETRIES,
    PATCHED_TIME,
    REGION,
    VIRTUAL_TIME,
    Outcome,
    Pair,
    assert_no_differences,
    assert_same,
    assert_same_error,
    assert_same_outcome,
    boto3_client,
    difference,
    ecr_client,
    error,
    generator,
    json_error,
    lax_response_wire,
    ok,
    raw,
    request_params,
    response_wire,
)
from faultserver import CloseAfterRead, FaultServer, ResetAfterRead, Truncated
from pinned import SERVICE_MODEL, load

import ecrclient
import ecrclient.errors
from ecrclient._core.errors import MalformedResponseError
from ecrclient._core.paging import PaginationError
from ecrclient._core.waiting import WaiterConfigError
from ecrclient._generated.service import OPERATION_MODULES
from ecrclient._runtime.operations import load_operation
from ecrclient.faults import FAULTS

OPERATIONS = sorted(OPERATION_MODULES)
PAGINATORS: dict[str, dict[str, Any]] = load("paginators-1.json")["pagination"]
WAITERS: dict[str, dict[str, Any]] = load("waiters-2.json")["waiters"]


# --------------------------------------------------------------------------------------------
# Fixtures.
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _local_time_zone() -> Iterator[None]:
    """botocore returns datetimes in local time; make local time differ from UTC."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


@pytest.fixture(autouse=True)
def _recorded_sleeps(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's retry and waiter pauses go to ``compat_oracle.BOTO_SLEEPS``."""
    monkeypatch.setattr(botocore.endpoint, "time", PATCHED_TIME)
    monkeypatch.setattr(botocore.waiter, "time", PATCHED_TIME)
    # Adaptive mode's token bucket waits on a condition variable: make its waits virtual.
    monkeypatch.setattr(botocore.retries.bucket, "time", VIRTUAL_TIME)
    monkeypatch.setattr(botocore.retries.bucket, "threading", BUCKET_THREADING)


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer(max_connections=100_000) as fault_server:
        yield fault_server


def _isolated_pair(
    server: FaultServer, tmp_path_factory: pytest.TempPathFactory, config: Config
) -> Pair:
    """A pair made outside conftest's per-test isolation (module scope): isolate here too."""
    empty = tmp_path_factory.mktemp("compat") / "empty-config"
    empty.touch()
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("AWS_"):
                patch.delenv(name)
        patch.setenv("AWS_CONFIG_FILE", str(empty))
        patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
        return Pair(server, config=config)


@pytest.fixture(scope="module")
def pair(server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """Both clients, retries off, for the many single-answer cases."""
    both = _isolated_pair(server, tmp_path_factory, NO_RETRIES)
    yield both
    both.close()


@pytest.fixture(scope="module")
def unvalidated_pair(
    server: FaultServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pair]:
    """Both clients with ``Config(parameter_validation=False)``."""
    config = NO_RETRIES.merge(Config(parameter_validation=False))
    both = _isolated_pair(server, tmp_path_factory, config)
    yield both
    both.close()


# --------------------------------------------------------------------------------------------
# 1. Every operation: generated params and responses.
# --------------------------------------------------------------------------------------------

VARIANTS = {"all-members": 1.0, "random": 0.5}


def test_session_token_is_sent(server: FaultServer) -> None:
    both = Pair(server, config=NO_RETRIES, aws_session_token="FQoGZXIvYXdzEXAMPLETOKEN")
    try:
        ours, theirs = both.method("describe_registry", {}, [ok({"registryId": "123456789012"})])
    finally:
        both.close()
    assert_same_outcome(ours, theirs)
    assert ours.requests[0].headers["x-amz-security-token"] == "FQoGZXIvYXdzEXAMPLETOKEN"


def test_every_operation_has_a_method() -> None:
    theirs = boto3_client(None)
    ours = ecr_client(None)
    assert sorted(theirs.meta.method_to_api_mapping) == sorted(OPERATION_MODULES.values())
    assert ours.meta.method_to_api_mapping == theirs.meta.method_to_api_mapping
    for method in OPERATION_MODULES.values():
        assert callable(getattr(ours, method))
    assert len(OPERATIONS) == 62


@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_matches_boto3(pair: Pair, operation: str) -> None:
    method = OPERATION_MODULES[operation]
    differences = []
    for variant, probability in VARIANTS.items():
        params = request_params(operation, variant, probability)
        wire = response_wire(operation, variant, probability)
        ours, theirs = pair.method(method, params, [ok(wire)])
        assert theirs.error is None, theirs.describe()
        assert len(theirs.requests) == 1
        found = difference(lambda o=ours, t=theirs: assert_same_outcome(o, t))
        differences.append(found and f"{variant}: {found}")
    assert_no_differences(differences)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_tolerates_missing_required_output_members(pair: Pair, operation: str) -> None:
    """botocore does not check responses: members the model calls required may be absent."""
    method = OPERATION_MODULES[operation]
    params = request_params(operation, "lax", 0.0)
    differences = []
    for seed in ("a", "b"):
        ours, theirs = pair.method(method, params, [ok(lax_response_wire(operation, seed))])
        assert theirs.error is None, theirs.describe()
        found = difference(lambda o=ours, t=theirs: assert_same_outcome(o, t))
        differences.append(found and f"seed {seed}: {found}")
    assert_no_differences(differences)


def test_epoch_timestamp_forms(pair: Pair) -> None:
    """Epoch timestamps as ints, floats and fractions, at the ends of the range."""
    differences = []
    for created in (0, 1, 1_700_000_000, 1_700_000_000.5, 1.700000000123e9, 4_102_444_799.999):
        wire = {"repositories": [{"repositoryName": "ab", "createdAt": created}]}
        ours, theirs = pair.method("describe_repositories", {}, [ok(wire)])
        differences.append(difference(lambda o=ours, t=theirs: assert_same_outcome(o, t)))
    token = base64.b64encode(b"AWS:secret").decode()
    wire = {"authorizationData": [{"authorizationToken": token, "expiresAt": 1.7e9}]}
    ours, theirs = pair.method("get_authorization_token", {}, [ok(wire)])
    differences.append(difference(lambda: assert_same_outcome(ours, theirs)))
    assert_no_differences(differences)


UNUSUAL_SCALARS: dict[str, tuple[str, dict[str, Any]]] = {
    "int-for-double": (
        "DescribeImageScanFindings",
        {
            "imageScanFindings": {
                "enhancedFindings": [
                    {"score": 7, "scoreDetails": {"cvss": {"score": 9, "adjustments": []}}}
                ],
                "findings": [{"name": "CVE-1", "attributes": []}],
                "findingSeverityCounts": {"HIGH": 3},
            }
        },
    ),
    "float-for-long": ("DescribeImages", {"imageDetails": [{"imageSizeInBytes": 1000.0}]}),
    "float-for-integer": (
        "GetLifecyclePolicyPreview",
        {"summary": {"expiringImageTotalCount": 2.5}},
    ),
    "largest-long": ("InitiateLayerUpload", {"partSize": 2**63 - 1, "uploadId": "u"}),
    "beyond-long": ("InitiateLayerUpload", {"partSize": 2**70}),
    "int-for-boolean": ("ValidatePullThroughCacheRule", {"isValid": 1}),
    "string-for-boolean": ("ValidatePullThroughCacheRule", {"isValid": "true"}),
    "int-for-string": ("DescribeRepositories", {"repositories": [{"repositoryName": 123}]}),
    "iso-timestamp": (
        "DescribeRepositories",
        {"repositories": [{"createdAt": "2024-02-29T12:34:56Z"}]},
    ),
    "iso-timestamp-offset": (
        "DescribeRepositories",
        {"repositories": [{"createdAt": "2024-02-29T12:34:56.789+02:00"}]},
    ),
    "numeric-string-timestamp": (
        "DescribeRepositories",
        {"repositories": [{"createdAt": "1700000000.5"}]},
    ),
    "negative-timestamp": ("DescribeRepositories", {"repositories": [{"createdAt": -86400}]}),
    "dst-timestamp": ("DescribeRepositories", {"repositories": [{"createdAt": 1710054000}]}),
    "null-in-list": ("DescribeRepositories", {"repositories": [None]}),
    "null-member": ("ListTagsForResource", {"tags": [{"Key": "k", "Value": None}]}),
    "empty-structure": ("DescribeRegistry", {"replicationConfiguration": {}}),
    "unknown-enum": ("PutImageTagMutability", {"imageTagMutability": "SOMETIMES"}),
}


@pytest.mark.parametrize("case", UNUSUAL_SCALARS)
def test_unusual_wire_values(pair: Pair, case: str) -> None:
    """Values a service or a proxy may send that the model does not quite promise."""
    operation, wire = UNUSUAL_SCALARS[case]
    params = request_params(operation, "unusual", 0.0)
    ours, theirs = pair.method(OPERATION_MODULES[operation], params, [ok(wire)])
    if case.startswith("iso-timestamp"):
        # Deliberate: the drop-in gives every timestamp in local time, where botocore keeps
        # the offset written in ISO text. The instant is the same.
        ours_at = ours.result["repositories"][0]["createdAt"]
        theirs_at = theirs.result["repositories"][0]["createdAt"]
        assert ours_at == theirs_at and ours_at.tzinfo is not None
        return
    if case == "null-in-list":
        # Deliberate: a null where the model promises a structure is a malformed answer.
        assert isinstance(ours.error, MalformedResponseError)
        return
    assert_same_outcome(ours, theirs)


@pytest.mark.parametrize(
    "blob",
    [b"\x00\xffbytes", "text é", bytearray(b"array"), io.BytesIO(b"file-like")],
    ids=["bytes", "str", "bytearray", "file"],
)
def test_blob_parameter_forms(pair: Pair, blob: Any) -> None:
    """boto3 accepts bytes, str, bytearray and file-like objects for blobs."""
    params = {
        "repositoryName": "ab",
        "uploadId": "0c0ffee0-0000-4000-8000-000000000000",
        "partFirstByte": 0,
        "partLastByte": 8,
        "layerPartBlob": blob,
    }

    def call(client: Any) -> Any:
        if isinstance(blob, io.BytesIO):
            blob.seek(0)
        return client.upload_layer_part(**params)

    ours, theirs = pair.run(call, [ok({"lastByteReceived": 8})])
    if isinstance(blob, io.BytesIO):
        # Deliberate: botocore documents file-like blobs but its JSON serializer fails on
        # them; the drop-in sends the file's bytes.
        assert ours.error is None
        sent = json.loads(ours.requests[0].body)["layerPartBlob"]
        assert base64.b64decode(sent) == b"file-like"
        return
    assert_same_outcome(ours, theirs)


# --------------------------------------------------------------------------------------------
# 2. Every declared fault of every operation, in every wire form.
# --------------------------------------------------------------------------------------------

SUFFIX = ":http://internal.amazon.com/coral/com.amazonaws.containerregistry/"
NAMESPACE = "com.amazonaws.containerregistry.v20150921#"
UNMODELED = "SomethingNewException"


def fault_members(code: str) -> dict[str, Any]:
    """Generated values for the modeled members a fault carries besides ``message``
    (InvalidLayerPartException and KmsException have some); boto3 copies them into
    ``e.response``."""
    if code not in FAULTS:
        return {}
    shape = SERVICE_MODEL.shape_for(code)
    members = generator(code, "members", optional_probability=1.0).value(shape, "wire")
    members.pop("message", None)
    return members


def fault_answers(code: str, status: int) -> dict[str, Any]:
    """The same fault in each form a JSON-protocol service (or a proxy) may send it."""
    message = f"{code} says no"
    extra = fault_members(code)
    header = {"x-amzn-ErrorType": code + SUFFIX}

    def body(type_: str | None, key: str | None = "message") -> dict[str, Any]:
        out: dict[str, Any] = {} if type_ is None else {"__type": type_}
        if key is not None:
            out[key] = message
        return {**out, **extra}

    return {
        "plain": json_error(status, body(code), {"x-amzn-ErrorType": code}),
        "body-only": json_error(status, body(code)),
        "namespace": json_error(status, body(NAMESPACE + code)),
        "suffix": json_error(status, body(code + SUFFIX)),
        "namespace+suffix": json_error(status, body(NAMESPACE + code + SUFFIX)),
        "Message": json_error(status, body(code, "Message")),
        "no-message": json_error(status, body(code, None)),
        "header-only-json": json_error(status, body(None), header),
        "header-only-empty-body": raw(status, b"", header),
        "header-vs-body-code": json_error(status, body("OtherCodeException"), header),
    }


FORMS = list(fault_answers("X", 400))
FAULT_CODES = [*sorted(FAULTS), UNMODELED]


def status_for(code: str) -> int:
    return 500 if code == "ServerException" else 400


def check_fault(pair: Pair, operation: str, code: str, form: str) -> str | None:
    method = OPERATION_MODULES[operation]
    params = request_params(operation, "faults", 0.0)
    answer = fault_answers(code, status_for(code))[form]
    ours, theirs = pair.method(method, params, [answer])
    assert theirs.error is not None, f"{code}/{form}: {theirs.describe()}"
    found = difference(lambda: assert_same_outcome(ours, theirs))
    name = type(theirs.error).__name__
    if found is None and isinstance(theirs.error, ClientError) and name != "ClientError":
        # The modeled class is catchable through client.exceptions, as in boto3.
        assert isinstance(ours.error, getattr(pair.ours.exceptions, name))
        assert isinstance(theirs.error, getattr(pair.boto.exceptions, name))
    return found and f"{operation} {code} [{form}]: {found}"


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_declared_fault(pair: Pair, operation: str) -> None:
    """Each fault an operation declares (and one it does not), through that operation's
    method; the wire form rotates so that the operations between them use every form."""
    codes = [*load_operation(OPERATION_MODULES[operation]).errors, UNMODELED]
    assert len(codes) > 1, f"{operation} declares no faults"
    start = OPERATIONS.index(operation)
    assert_no_differences(
        check_fault(pair, operation, code, FORMS[(start + n) % len(FORMS)])
        for n, code in enumerate(codes)
    )


def _declaring_operation(code: str) -> str:
    for operation in OPERATIONS:
        if code in load_operation(OPERATION_MODULES[operation]).errors:
            return operation
    return "DescribeRegistry"


@pytest.mark.parametrize("code", FAULT_CODES)
def test_fault_in_every_wire_form(pair: Pair, code: str) -> None:
    """Every fault code in every wire form, through an operation that declares it."""
    operation = _declaring_operation(code)
    assert_no_differences(check_fault(pair, operation, code, form) for form in FORMS)


def test_every_fault_is_declared_somewhere() -> None:
    declared = {
        code
        for operation in OPERATIONS
        for code in load_operation(OPERATION_MODULES[operation]).errors
    }
    assert declared == set(FAULTS)
    assert len(FAULTS) == 50


@pytest.mark.parametrize("status", [400, 403, 404, 409, 429, 500, 503])
def test_unmodeled_codes_and_statuses(pair: Pair, status: int) -> None:
    answers = {
        "unmodeled": error(status, "UnrecognizedClientException", "The security token is bad"),
        "access-denied": error(status, "AccessDeniedException", "not authorized"),
        "no-code": json_error(status, {"message": "no code here"}),
        "empty-object": json_error(status, {}),
        "empty-body": raw(status, b""),
    }
    differences = []
    for form, answer in answers.items():
        ours, theirs = pair.method("describe_registry", {}, [answer])
        found = difference(lambda o=ours, t=theirs: assert_same_outcome(o, t))
        differences.append(found and f"{form}: {found}")
    assert_no_differences(differences)


# --------------------------------------------------------------------------------------------
# 3. Odd bodies: HTML and text errors, empty, truncated and non-JSON successes.
# --------------------------------------------------------------------------------------------

HTML = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
ODD_ANSWERS = {
    "500-html": raw(500, HTML, {"Content-Type": "text/html"}),
    "502-html": raw(502, HTML, {"Content-Type": "text/html"}),
    "503-text": raw(503, b"Service Unavailable", {"Content-Type": "text/plain"}),
    "503-empty": raw(503, b""),
    "504-empty": raw(504, b""),
    "400-text": raw(400, b"Bad Request", {"Content-Type": "text/plain"}),
    "403-html": raw(403, HTML, {"Content-Type": "text/html"}),
    "200-empty": raw(200, b"", {"Content-Type": "application/x-amz-json-1.1"}),
    "200-not-json": raw(200, b"this is not json", {"Content-Type": "text/plain"}),
    "200-html": raw(200, HTML, {"Content-Type": "text/html"}),
    "200-json-array": raw(200, b"[1, 2, 3]"),
    "200-json-string": raw(200, b'"hello"'),
    "200-json-null": raw(200, b"null"),
    "200-wrong-type": ok({"repositories": "not a list"}),
    "200-unknown-members": ok({"repositories": [], "somethingNew": {"a": 1}}),
    "200-null-member": ok({"repositories": None, "nextToken": None}),
    "200-truncated": Truncated(200, b'{"repositories": [{"repositoryName": "ab"'),
    "200-truncated-empty": Truncated(200, b"", declared_length=50),
    "500-truncated": Truncated(500, b'{"__type": "ServerException", "mes'),
    "reset": ResetAfterRead(),
}
SHORT_BODIES = {"200-truncated", "200-truncated-empty", "500-truncated"}
"""Answers shorter than their Content-Length. Deliberate difference: botocore 1.44 reads them
as if whole (a 200 becomes an empty success: data silently lost); the drop-in treats them as
the broken connections they are, so they are compared with boto3 facing a connection closed
after the request."""
UNREADABLE_SUCCESSES = {"200-not-json", "200-html"}
"""Deliberate difference: boto3 returns an empty success for a 2xx body that is not JSON (the
answer is lost silently); the drop-in raises botocore's ``ResponseParserError`` (as
``MalformedResponseError``) with the status and a bounded snippet of the body."""


@pytest.mark.parametrize("answer", ODD_ANSWERS)
@pytest.mark.parametrize("retries", ["no-retries", "default"])
def test_odd_answers_match_boto3(server: FaultServer, answer: str, retries: str) -> None:
    config = NO_RETRIES if retries == "no-retries" else None
    both = Pair(server, config=config)
    answers = [ODD_ANSWERS[answer]] * 6
    try:
        ours, theirs = both.method(
            "describe_repositories",
            {},
            answers,
            boto_actions=[CloseAfterRead()] * 6 if answer in SHORT_BODIES else None,
        )
    finally:
        both.close()
    if answer in UNREADABLE_SUCCESSES:
        assert theirs.error is None and set(theirs.result) == {"ResponseMetadata"}
        assert isinstance(ours.error, ResponseParserError), ours.describe(300)
        assert "HTTP 200" in str(ours.error) and len(ours.requests) == 1
        return
    assert_same_outcome(ours, theirs)
    assert len(ours.sleeps) == len(theirs.sleeps)


@pytest.mark.parametrize("retries", ["no-retries", "default"])
def test_connection_refused(retries: str) -> None:
    with FaultServer() as gone:
        url = gone.url  # a port nothing listens on once the server has stopped
    config = NO_RETRIES if retries == "no-retries" else None
    outcomes = []
    for label, client in (
        ("ecrclient", ecr_client(url, config=config)),
        ("boto3", boto3_client(url, config=config)),
    ):
        outcome = Outcome(label)
        BOTO_SLEEPS.take()
        try:
            client.describe_registry()
        except Exception as exc:
            outcome.error = exc
        finally:
            client.close()
        outcome.sleeps = client.ours_sleeps.take() if label == "ecrclient" else BOTO_SLEEPS.take()
        outcomes.append(outcome)
    ours, theirs = outcomes
    assert_same_outcome(ours, theirs)
    assert len(ours.sleeps) == len(theirs.sleeps)


# --------------------------------------------------------------------------------------------
# 4. Retry modes.
# --------------------------------------------------------------------------------------------

MODES = ["legacy", "standard", "adaptive"]
SUCCESS = ok({"repositories": [{"repositoryName": "ab", "createdAt": 1700000000.25}]})
SERVER_ERROR = error(500, "ServerException", "try again")
SEQUENCES: dict[str, list[Any]] = {
    "500-500-ok": [SERVER_ERROR, SERVER_ERROR, SUCCESS],
    "503-ok": [error(503, "ServiceUnavailable"), SUCCESS],
    "500s-exhausted": [SERVER_ERROR] * 6,
    "503s-exhausted": [error(503, "ServiceUnavailable", "busy")] * 6,
    "throttle-throttle-ok": [error(400, "ThrottlingException")] * 2 + [SUCCESS],
    "throttles-exhausted": [error(400, "ThrottlingException", "Rate exceeded")] * 6,
    "429-exhausted": [error(429, "TooManyRequestsException")] * 6,
    "ok-on-attempt-3": [error(500, "InternalFailure")] * 2 + [SUCCESS],
    "ok-on-attempt-5": [error(500, "InternalFailure")] * 4 + [SUCCESS],
    "mixed-then-ok": [error(400, "ThrottlingException"), SERVER_ERROR, SUCCESS],
    "non-retryable": [error(400, "RepositoryNotFoundException"), SUCCESS],
    "reset-then-ok": [ResetAfterRead(), SUCCESS],
}


def _retry_config(mode: str, **extra: Any) -> Config:
    return Config(retries={"mode": mode, **extra})


@pytest.mark.parametrize("sequence", SEQUENCES)
@pytest.mark.parametrize("mode", [*MODES, "boto3-default"])
def test_retry_sequences(server: FaultServer, mode: str, sequence: str) -> None:
    config = None if mode == "boto3-default" else _retry_config(mode)
    both = Pair(server, config=config)
    try:
        ours, theirs = both.method("describe_repositories", {}, SEQUENCES[sequence])
    finally:
        both.close()
    assert_same_outcome(ours, theirs)
    if mode != "adaptive":  # adaptive mode's rate-limit waits are not botocore retry sleeps
        assert len(ours.sleeps) == len(theirs.sleeps), (ours.sleeps, theirs.sleeps)


@pytest.mark.parametrize(
    "retries",
    [
        {"max_attempts": 0},
        {"max_attempts": 1},
        {"max_attempts": 2},
        {"total_max_attempts": 1},
        {"total_max_attempts": 2},
        {"total_max_attempts": 4},
        {"mode": "standard", "max_attempts": 4},
        {"mode": "standard", "total_max_attempts": 5},
        {"mode": "adaptive", "total_max_attempts": 2},
        {"mode": "legacy", "total_max_attempts": 3},
    ],
    ids=repr,
)
@pytest.mark.parametrize("last", ["fail", "succeed"])
def test_attempt_limits(server: FaultServer, retries: dict[str, Any], last: str) -> None:
    """Exactly the allowed number of attempts; a success on the last one; MaxAttemptsReached
    and ``(reached max retries: N)`` where boto3 puts them."""
    both = Pair(server, config=Config(retries=retries))
    script: list[Any] = [SERVER_ERROR] * 8
    try:
        # How many attempts boto3 makes, then succeed exactly on the last of them.
        _, probe = both.method("describe_repositories", {}, script)
        attempts = len(probe.requests)
        if last == "succeed":
            script = [SERVER_ERROR] * (attempts - 1) + [SUCCESS]
        ours, theirs = both.method("describe_repositories", {}, script)
    finally:
        both.close()
    assert_same_outcome(ours, theirs)


# Codes and statuses botocore retries in some mode but not all, and some it never retries.
RETRY_CODES = [
    (400, "Throttling"),
    (400, "ThrottlingException"),
    (400, "ThrottledException"),
    (400, "RequestThrottledException"),
    (400, "TooManyRequestsException"),
    (400, "ProvisionedThroughputExceededException"),
    (400, "TransactionInProgressException"),
    (400, "RequestLimitExceeded"),
    (400, "BandwidthLimitExceeded"),
    (400, "LimitExceededException"),
    (400, "RequestThrottled"),
    (400, "SlowDown"),
    (400, "PriorRequestNotComplete"),
    (400, "EC2ThrottledException"),
    (400, "RequestTimeout"),
    (400, "RequestTimeoutException"),
    (400, "IDPCommunicationError"),
    (400, "InternalError"),
    (400, "ExpiredTokenException"),
    (400, "ValidationException"),
    (500, "InternalFailure"),
    (501, "NotImplemented"),
    (502, "BadGateway"),
    (504, "GatewayTimeout"),
    (509, "BandwidthLimitExceeded"),
    (429, "SomeNewCode"),
]


@pytest.mark.parametrize(("status", "code"), RETRY_CODES, ids=[f"{s}-{c}" for s, c in RETRY_CODES])
def test_retryable_codes(server: FaultServer, status: int, code: str) -> None:
    """Legacy and standard mode retry the same codes as boto3's, up to three attempts here
    (adaptive mode decides retries as standard mode does; the sequences above cover it)."""
    differences = []
    for mode in ("legacy", "standard"):
        both = Pair(server, config=_retry_config(mode, total_max_attempts=3))
        try:
            ours, theirs = both.method("describe_repositories", {}, [error(status, code)] * 4)
        finally:
            both.close()
        found = difference(lambda o=ours, t=theirs: assert_same_outcome(o, t))
        differences.append(found and f"{mode}: {found}")
    assert_no_differences(differences)


def test_amz_sdk_request_header(server: FaultServer) -> None:
    """The ``amz-sdk-request`` header botocore sends on each attempt, in each mode."""
    differences = []
    for mode in [*MODES, "boto3-default"]:
        config = None if mode == "boto3-default" else _retry_config(mode)
        both = Pair(server, config=config)
        try:
            ours, theirs = both.method("describe_repositories", {}, [SERVER_ERROR] * 2 + [SUCCESS])
        finally:
            both.close()
        sent = [r.headers.get("amz-sdk-request") for r in ours.requests]
        expected = [r.headers.get("amz-sdk-request") for r in theirs.requests]
        # Deliberate: ecrclient sends the header as the AWS SDKs specify it on every attempt
        # (``attempt=N; max=M``); botocore adds a ``ttl`` on retries and no ``max`` at first.
        attempts = [re.search(r"attempt=(\d+)", h or "") for h in expected]
        maxima = {m.group(1) for h in expected if (m := re.search(r"max=(\d+)", h or ""))}
        wanted = [f"attempt={a.group(1)}; max={next(iter(maxima))}" for a in attempts if a]
        differences.append(sent != wanted and f"{mode}: ecrclient {sent}, expected {wanted}")
    assert_no_differences(differences)


# --------------------------------------------------------------------------------------------
# 5. Paginators.
# --------------------------------------------------------------------------------------------

PAGE_SIZES = (2, 3, 1)


def _member_shape(shape: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        shape = shape.members[part]
    return shape


def _set_path(obj: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        obj = obj.setdefault(part, {})
    obj[last] = value


def _result_keys(operation: str) -> list[str]:
    keys = PAGINATORS[operation]["result_key"]
    return keys if isinstance(keys, list) else [keys]


def scripted_pages(operation: str) -> list[dict[str, Any]]:
    """Generated pages with ``PAGE_SIZES`` items under each result key, linked by
    ``token-N``."""
    output = SERVICE_MODEL.operation_model(operation).output_shape
    token = PAGINATORS[operation]["output_token"]
    gen = generator(operation, "pages", optional_probability=0.5)
    pages = []
    for n, size in enumerate(PAGE_SIZES):
        page = gen.value(output, "wire")
        page.pop(token, None)
        for key in _result_keys(operation):
            item_shape = _member_shape(output, key).member
            _set_path(page, key, [gen.value(item_shape, "wire") for _ in range(size)])
        if n < len(PAGE_SIZES) - 1:
            page[token] = f"token-{n + 1}"
        pages.append(page)
    return pages


def paginate_params(operation: str) -> dict[str, Any]:
    params = request_params(operation, "paginate", 0.0)
    spec = PAGINATORS[operation]
    params.pop(spec["input_token"], None)
    params.pop(spec["limit_key"], None)
    return params


ALL_PAGINATION_CONFIGS: dict[str, dict[str, Any]] = {
    "none": {},
    "MaxItems=1": {"MaxItems": 1},
    "MaxItems=2": {"MaxItems": 2},
    "MaxItems=4": {"MaxItems": 4},
    "MaxItems=6": {"MaxItems": 6},
    "MaxItems=10": {"MaxItems": 10},
    "PageSize=2": {"PageSize": 2},
    "PageSize=2,MaxItems=3": {"PageSize": 2, "MaxItems": 3},
    "StartingToken=raw": {"StartingToken": "token-1"},
    "StartingToken=raw,MaxItems=2": {"StartingToken": "token-1", "MaxItems": 2},
    "StartingToken=resume": {"StartingToken": "<resume>"},
    "StartingToken=resume,MaxItems=1": {"StartingToken": "<resume>", "MaxItems": 1},
    "StartingToken=resume,PageSize=1": {"StartingToken": "<resume>", "PageSize": 1},
}
CORE_PAGINATION_CONFIGS = ["none", "MaxItems=4", "PageSize=2,MaxItems=3", "StartingToken=resume"]
SEARCHED_CONFIGS = {"none", "MaxItems=4"}
FULLY_EXERCISED = {"DescribeImageScanFindings", "ListImages"}
"""Every PaginationConfig for these (one with two result keys and non-aggregate keys, one
plain); the core configs for the other five."""

PAGINATOR_CASES = [
    pytest.param(operation, config, id=f"{operation}-{config}")
    for operation in sorted(PAGINATORS)
    for config in (
        ALL_PAGINATION_CONFIGS if operation in FULLY_EXERCISED else CORE_PAGINATION_CONFIGS
    )
]


def _boto3_resume_token(both: Pair, operation: str) -> str:
    """boto3's own resume token after 4 items (cut in the middle of the second page)."""
    paginator = both.boto.get_paginator(OPERATION_MODULES[operation])
    both.server.script([ok(page) for page in scripted_pages(operation)])
    iterator = paginator.paginate(**paginate_params(operation), PaginationConfig={"MaxItems": 4})
    list(iterator)
    token = iterator.resume_token
    assert isinstance(token, str)
    return token


def test_every_paginator_is_covered(pair: Pair) -> None:
    pageable = sorted(m for m in OPERATION_MODULES.values() if pair.boto.can_paginate(m))
    assert pageable == sorted(OPERATION_MODULES[name] for name in PAGINATORS)
    assert len(pageable) == 9
    assert {case.values[0] for case in PAGINATOR_CASES} == set(PAGINATORS)


@pytest.mark.parametrize(("operation", "config_name"), PAGINATOR_CASES)
def test_paginator_matches_boto3(pair: Pair, operation: str, config_name: str) -> None:
    method = OPERATION_MODULES[operation]
    pagination = dict(ALL_PAGINATION_CONFIGS[config_name])
    pages = [ok(page) for page in scripted_pages(operation)]
    if "StartingToken" in pagination:
        if pagination["StartingToken"] == "<resume>":
            pagination["StartingToken"] = _boto3_resume_token(pair, operation)
        pages = pages[1:]  # both kinds of token point at the second page
    params = paginate_params(operation)

    def iterate(client: Any) -> Any:
        iterator = client.get_paginator(method).paginate(**params, PaginationConfig=pagination)
        found = list(iterator)
        return {
            "pages": found,
            "resume_token": iterator.resume_token,
            "non_aggregate_part": iterator.non_aggregate_part,
        }

    def full(client: Any) -> Any:
        paginator = client.get_paginator(method)
        return paginator.paginate(**params, PaginationConfig=pagination).build_full_result()

    expressions = [
        *_result_keys(operation),
        f"{_result_keys(operation)[0]}[0]",
        PAGINATORS[operation]["output_token"],
        "keys(@)",
    ]

    def search(client: Any) -> Any:
        paginator = client.get_paginator(method)
        return {
            expression: list(
                paginator.paginate(**params, PaginationConfig=pagination).search(expression)
            )
            for expression in expressions
        }

    calls = {"pages": iterate, "build_full_result": full}
    if config_name in SEARCHED_CONFIGS:
        calls["search"] = search
    differences = []
    for label, call in calls.items():
        ours, theirs = pair.run(call, pages)
        assert theirs.error is None, theirs.describe()
        found = difference(lambda o=ours, t=theirs: assert_same_outcome(o, t))
        differences.append(found and f"{label}: {found}")
    assert_no_differences(differences)


def test_paginator_error_mid_way(pair: Pair) -> None:
    pages = [ok(page) for page in scripted_pages("DescribeRepositories")]
    script = [pages[0], error(400, "RepositoryNotFoundException", "gone")]

    def iterate(client: Any) -> Any:
        seen = []
        try:
            for page in client.get_paginator("describe_repositories").paginate():
                seen.append(page)
        except ClientError as exc:
            return {"pages": seen, "error": (type(exc).__name__, str(exc), exc.response)}
        return {"pages": seen}

    ours, theirs = pair.run(iterate, script)
    assert_same_outcome(ours, theirs)


def test_paginator_result_keys(pair: Pair) -> None:
    def call(client: Any) -> Any:
        paginator = client.get_paginator("describe_image_scan_findings")
        iterator = paginator.paginate(repositoryName="ab", imageId={"imageTag": "v1"})
        return {
            "paginator.result_keys": [k.expression for k in paginator.result_keys],
            "iterator.result_keys": [k.expression for k in iterator.result_keys],
        }

    ours, theirs = pair.run(call)
    assert_same_outcome(ours, theirs)


def test_page_iterator_iterated_twice(pair: Pair) -> None:
    """Iterating one PageIterator a second time starts again: what does it send?"""

    def call(client: Any) -> Any:
        iterator = client.get_paginator("list_images").paginate(repositoryName="ab")
        return {"first": list(iterator), "second": list(iterator)}

    pages = [ok(page) for page in scripted_pages("ListImages")]
    ours, theirs = pair.run(call, pages + pages)
    # Deliberate: a second iteration starts over; botocore's resumes from its last token.
    assert ours.error is None
    assert ours.result["second"] == ours.result["first"]
    assert ours.result["first"] == theirs.result["first"]


@pytest.mark.parametrize(
    "name",
    [
        *sorted(OPERATION_MODULES.values()),
        "DescribeImages",
        "ListImages",
        "describe-images",
        "nonexistent",
        "",
    ],
)
def test_can_paginate_and_get_paginator(pair: Pair, name: str) -> None:
    ours, theirs = pair.run(lambda client: client.can_paginate(name))
    can = difference(lambda: assert_same_outcome(ours, theirs))
    ours, theirs = pair.run(lambda client: type(client.get_paginator(name)).__name__)

    def same_get_paginator() -> None:
        if theirs.error is None:
            assert ours.error is None, f"boto3 returned a paginator; {ours.describe()}"
        else:
            assert_same_error(ours.error, theirs.error)

    get = difference(same_get_paginator)
    assert_no_differences([can and f"can_paginate: {can}", get and f"get_paginator: {get}"])


@pytest.mark.parametrize(
    "pagination",
    [
        {"MaxItems": "3"},
        {"PageSize": "2"},
        {"MaxItems": 0},
        {"MaxItems": -1},
        {"StartingToken": "not a token"},
        {"StartingToken": ""},
        {"StartingToken": None},
        {"PageSize": None},
        {"Bogus": 1},
    ],
    ids=repr,
)
def test_unusual_pagination_configs(pair: Pair, pagination: dict[str, Any]) -> None:
    pages = [ok(page) for page in scripted_pages("DescribeRepositories")]

    def call(client: Any) -> Any:
        iterator = client.get_paginator("describe_repositories").paginate(
            PaginationConfig=pagination
        )
        return {"pages": list(iterator), "resume_token": iterator.resume_token}

    ours, theirs = pair.run(call, pages)
    if pagination == {"MaxItems": -1}:
        # Deliberate: refused before any request; botocore cuts a page and returns nonsense.
        assert isinstance(ours.error, PaginationError)
        assert not ours.requests
        return
    assert_same_outcome(ours, theirs)


# --------------------------------------------------------------------------------------------
# 6. Waiters.
# --------------------------------------------------------------------------------------------

WAITER_NAMES = sorted(WAITERS)


def _waiter_answer(waiter: str, status: str) -> Any:
    if waiter == "ImageScanComplete":
        return ok({"repositoryName": "ab", "imageScanStatus": {"status": status}})
    return ok({"repositoryName": "ab", "status": status})


def _wait(waiter: str, config: dict[str, Any] | None) -> Any:
    from botocore import xform_name

    params = request_params(WAITERS[waiter]["operation"], "waiter", 0.0)

    def call(client: Any) -> Any:
        extra = {} if config is None else {"WaiterConfig": config}
        return client.get_waiter(xform_name(waiter)).wait(**params, **extra)

    return call


def waiter_scripts(waiter: str) -> dict[str, tuple[dict[str, Any] | None, list[Any]]]:
    def answer(status: str) -> Any:
        return _waiter_answer(waiter, status)

    fast = {"Delay": 0, "MaxAttempts": 3}
    default_attempts = WAITERS[waiter]["maxAttempts"]
    return {
        "in-progress-then-complete": (fast, [answer("IN_PROGRESS"), answer("COMPLETE")]),
        "complete-at-once": (fast, [answer("COMPLETE")]),
        "failed": (fast, [answer("IN_PROGRESS"), answer("FAILED")]),
        "attempts-exhausted": (fast, [answer("IN_PROGRESS")] * 4),
        "complete-on-last-attempt": (fast, [answer("IN_PROGRESS")] * 2 + [answer("COMPLETE")]),
        "unknown-status": (fast, [answer("SOMETHING_ELSE")] * 4),
        "empty-answer": (fast, [ok({})] * 4),
        "modeled-error": (
            fast,
            [answer("IN_PROGRESS"), error(400, "ScanNotFoundException", "no scan")],
        ),
        "unmodeled-error": (fast, [error(400, "WeirdException", "odd")]),
        "server-error": (fast, [error(500, "ServerException", "sorry")]),
        "delay-2": ({"Delay": 2, "MaxAttempts": 3}, [answer("IN_PROGRESS")] * 4),
        "only-delay": ({"Delay": 1}, [answer("IN_PROGRESS")] * 3 + [answer("COMPLETE")]),
        "only-max-attempts": ({"MaxAttempts": 2}, [answer("IN_PROGRESS")] * 3),
        "default-config-exhausted": (None, [answer("IN_PROGRESS")] * (default_attempts + 2)),
        "default-config-complete": (None, [answer("IN_PROGRESS")] * 3 + [answer("COMPLETE")]),
        "float-delay": ({"Delay": 0.5, "MaxAttempts": 2}, [answer("IN_PROGRESS")] * 3),
    }


WAITER_CASES = [
    pytest.param(waiter, case, id=f"{waiter}-{case}")
    for waiter in WAITER_NAMES
    for case in waiter_scripts(waiter)
]


def _pauses(outcome: Outcome) -> list[float]:
    # botocore calls time.sleep(0) for a zero delay; ecrclient skips the call.
    return [float(seconds) for seconds in outcome.sleeps if seconds != 0]


@pytest.mark.parametrize(("waiter", "case"), WAITER_CASES)
def test_waiter_matches_boto3(pair: Pair, waiter: str, case: str) -> None:
    config, script = waiter_scripts(waiter)[case]
    ours, theirs = pair.run(_wait(waiter, config), script)
    assert_same_outcome(ours, theirs)
    assert _pauses(ours) == _pauses(theirs), "the waiters paused differently"
    if theirs.error is not None:
        assert isinstance(ours.error, WaiterError)


@pytest.mark.parametrize(
    "config",
    [
        {"Delay": -1, "MaxAttempts": 3},
        {"Delay": 0, "MaxAttempts": 0},
        {"Delay": 0, "MaxAttempts": -1},
        {"Delay": 0, "MaxAttempts": 1},
        {"Delay": "1", "MaxAttempts": 2},
        {"Delay": 0, "MaxAttempts": "2"},
        {"Delay": None, "MaxAttempts": None},
        {},
    ],
    ids=repr,
)
def test_unusual_waiter_configs(pair: Pair, config: dict[str, Any]) -> None:
    waiter = "LifecyclePolicyPreviewComplete"
    answer = _waiter_answer(waiter, "IN_PROGRESS")
    ours, theirs = pair.run(_wait(waiter, config), [answer] * 25)
    if config not in ({"Delay": 0, "MaxAttempts": 1}, {}):
        # Deliberate: an invalid WaiterConfig is refused before polling; botocore polls once,
        # then fails with whatever the bad value causes.
        assert isinstance(ours.error, WaiterConfigError)
        assert not ours.requests
        return
    assert_same_outcome(ours, theirs)
    assert _pauses(ours) == _pauses(theirs)


def test_waiter_objects(pair: Pair) -> None:
    assert pair.ours.waiter_names == pair.boto.waiter_names
    for name in pair.boto.waiter_names:
        ours, theirs = pair.ours.get_waiter(name), pair.boto.get_waiter(name)
        assert ours.name == theirs.name
        assert ours.config.delay == theirs.config.delay
        assert ours.config.max_attempts == theirs.config.max_attempts
        assert ours.config.operation == theirs.config.operation
    for bad in ("nope", "ImageScanComplete", "image-scan-complete", ""):
        ours_out, theirs_out = pair.run(lambda client, b=bad: client.get_waiter(b))
        assert_same_error(ours_out.error, theirs_out.error)


def test_waiter_rejects_bad_params(pair: Pair) -> None:
    """Parameter validation applies to each poll, as in boto3."""
    ours, theirs = pair.run(
        lambda client: client.get_waiter("image_scan_complete").wait(
            repositoryName="ab", WaiterConfig={"Delay": 0, "MaxAttempts": 2}
        )
    )
    assert_same_outcome(ours, theirs)
    assert not ours.requests


# --------------------------------------------------------------------------------------------
# 7. Parameter validation.
# --------------------------------------------------------------------------------------------

UPLOAD = {"repositoryName": "ab", "uploadId": "u", "partFirstByte": 0, "partLastByte": 1}
VALIDATION_CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "missing-required": ("create_repository", {}),
    "missing-two-required": ("batch_get_image", {}),
    "unknown-parameter": ("create_repository", {"repositoryName": "ab", "bogus": 1}),
    "unknown-nested": (
        "create_repository",
        {"repositoryName": "ab", "tags": [{"Key": "k", "Value": "v", "X": 1}]},
    ),
    "str-for-int": ("describe_repositories", {"maxResults": "10"}),
    "float-for-int": ("describe_repositories", {"maxResults": 10.0}),
    "bool-for-int": ("describe_repositories", {"maxResults": True}),
    "int-for-str": ("create_repository", {"repositoryName": 123}),
    "bytes-for-str": ("create_repository", {"repositoryName": b"abc"}),
    "dict-for-list": ("describe_repositories", {"repositoryNames": {"a": 1}}),
    "str-for-list": ("describe_repositories", {"repositoryNames": "abc"}),
    "tuple-for-list": ("describe_repositories", {"repositoryNames": ("abc", "def")}),
    "list-for-struct": (
        "create_repository",
        {"repositoryName": "ab", "imageScanningConfiguration": [True]},
    ),
    "str-for-bool": (
        "create_repository",
        {"repositoryName": "ab", "imageScanningConfiguration": {"scanOnPush": "yes"}},
    ),
    "int-for-bool": ("delete_repository", {"repositoryName": "ab", "force": 1}),
    "too-short": ("create_repository", {"repositoryName": "a"}),
    "empty-string": ("batch_get_image", {"repositoryName": "ab", "imageIds": [{"imageTag": ""}]}),
    "too-few-items": ("batch_get_image", {"repositoryName": "ab", "imageIds": []}),
    "below-minimum": ("describe_repositories", {"maxResults": 0}),
    "negative": ("upload_layer_part", {**UPLOAD, "partFirstByte": -1, "layerPartBlob": b"x"}),
    "nested-errors": (
        "create_repository",
        {"repositoryName": "a", "tags": [{"Key": 1}, "tag"], "encryptionConfiguration": {}},
    ),
    "int-for-blob": ("upload_layer_part", {**UPLOAD, "layerPartBlob": 5}),
    "dict-for-map-list": ("put_registry_scanning_configuration", {"rules": {"a": 1}}),
    "none-required": ("create_repository", {"repositoryName": None}),
    "none-optional": ("describe_repositories", {"nextToken": None}),
    # botocore does not check these: they must be sent as boto3 sends them.
    "too-long": ("create_repository", {"repositoryName": "a" * 300}),
    "above-maximum": ("describe_repositories", {"maxResults": 100000}),
    "bad-pattern": ("create_repository", {"repositoryName": "UPPER case!"}),
    "bad-enum": ("list_images", {"repositoryName": "ab", "filter": {"tagStatus": "SOMETIMES"}}),
}


UNVALIDATED_REFUSED = {"missing-required", "missing-two-required"}
UNVALIDATED_DROPPED = {
    "none-optional": "nextToken",
    "none-required": "repositoryName",
    "unknown-nested": '"X"',
}


@pytest.mark.parametrize("case", VALIDATION_CASES)
@pytest.mark.parametrize("validation", ["on", "off"])
def test_parameter_validation(
    pair: Pair, unvalidated_pair: Pair, case: str, validation: str
) -> None:
    method, params = VALIDATION_CASES[case]
    both = pair if validation == "on" else unvalidated_pair
    ours, theirs = both.method(method, params, [ok({})])
    if validation == "off" and case in UNVALIDATED_REFUSED:
        # Deliberate: even unvalidated, a request lacking a required member is not sent.
        assert isinstance(ours.error, ParamValidationError)
        assert not ours.requests
        return
    if validation == "off" and case in UNVALIDATED_DROPPED:
        # Deliberate: None means "absent" and members the model lacks are not sent.
        assert ours.error is None
        body = json.loads(ours.requests[0].body)
        assert all(value is not None for value in body.values())
        assert UNVALIDATED_DROPPED[case] not in json.dumps(body)
        return
    if isinstance(theirs.error, ParamValidationError):
        assert not theirs.requests
        assert not ours.requests, "ecrclient sent a request boto3 refused"
    assert_same_outcome(ours, theirs)


def test_positional_arguments_refused(pair: Pair) -> None:
    ours, theirs = pair.run(lambda client: client.describe_repositories("ab"))
    assert_same_error(ours.error, theirs.error)
    assert not ours.requests


def test_every_operation_refuses_an_unknown_parameter(pair: Pair) -> None:
    differences = []
    for operation in OPERATIONS:
        method = OPERATION_MODULES[operation]
        params = {**request_params(operation, "validation", 0.0), "notAMember": 1}
        ours, theirs = pair.method(method, params, [ok({})])
        found = difference(lambda o=ours, t=theirs: assert_same_outcome(o, t))
        differences.append(found and f"{operation}: {found}")
    assert_no_differences(differences)


def test_every_operation_reports_missing_members(pair: Pair) -> None:
    differences = []
    for operation in OPERATIONS:
        method = OPERATION_MODULES[operation]
        ours, theirs = pair.method(method, {}, [ok({})])
        found = difference(lambda o=ours, t=theirs: assert_same_outcome(o, t))
        differences.append(found and f"{operation}: {found}")
    assert_no_differences(differences)


# --------------------------------------------------------------------------------------------
# 8. exceptions, meta, other services, Session.
# --------------------------------------------------------------------------------------------


def test_exceptions_namespace() -> None:
    ours, theirs = ecr_client(None), boto3_client(None)
    codes = sorted(theirs.exceptions._code_to_exception)
    assert len(codes) == 50
    assert codes == sorted(FAULTS)
    for code in codes:
        cls = getattr(ours.exceptions, code)
        assert cls is getattr(ecrclient.errors, code)
        assert issubclass(cls, ClientError)
        assert cls.__name__ == getattr(theirs.exceptions, code).__name__ == code
    assert ours.exceptions.ClientError is ClientError
    assert theirs.exceptions.ClientError is ClientError
    for code in [*codes, "Unknown", ""]:
        assert (
            ours.exceptions.from_code(code).__name__ == theirs.exceptions.from_code(code).__name__
        )
    public = {name for name in dir(theirs.exceptions) if not name.startswith("_")}
    assert public <= {name for name in dir(ours.exceptions) if not name.startswith("_")}


REGIONS = [
    "us-east-1",
    "eu-west-1",
    "ap-southeast-5",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-isob-east-1",
    "eu-isoe-west-1",
    "us-isof-south-1",
    "mars-central-1",
]


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("endpoint", ["default", "explicit"])
def test_meta_matches_boto3(region: str, endpoint: str) -> None:
    url = "http://127.0.0.1:9/" if endpoint == "explicit" else None
    theirs = boto3_client(url, region_name=region)
    ours = ecr_client(url, region_name=region)
    assert ours.meta.region_name == theirs.meta.region_name
    assert ours.meta.endpoint_url == theirs.meta.endpoint_url
    assert ours.meta.partition == theirs.meta.partition
    assert ours.meta.config.region_name == theirs.meta.config.region_name
    assert ours.meta.service_model.service_name == theirs.meta.service_model.service_name


def _where_boto3_sends(client: Any) -> str:
    class Sent(Exception):
        pass

    urls: list[str] = []

    def capture(request: Any, **_: Any) -> None:
        urls.append(request.url)
        raise Sent

    client.meta.events.register("before-send.ecr.*", capture)
    with pytest.raises(Sent):
        client.describe_registry()
    return urls[0].rstrip("/")


@pytest.mark.parametrize(
    "options",
    [
        {"use_ssl": False},
        {"region_name": None, "config": Config(region_name="eu-west-1")},
        {"region_name": "us-west-2", "config": Config(region_name="eu-west-1")},
        {"config": Config(use_fips_endpoint=True)},
        {"config": Config(use_dualstack_endpoint=True)},
        {"region_name": "us-gov-west-1", "config": Config(use_fips_endpoint=True)},
    ],
    ids=repr,
)
def test_meta_with_options(options: dict[str, Any]) -> None:
    theirs = boto3_client(None, **options)
    ours = ecr_client(None, **options)
    assert ours.meta.region_name == theirs.meta.region_name
    assert ours.meta.partition == theirs.meta.partition
    config = options.get("config")
    if config is not None and config.use_fips_endpoint:
        # Deliberate: meta.endpoint_url is where requests go. botocore's meta shows its legacy
        # guess (ecr-fips.<region>) while its rule set sends them to api.ecr-fips.<region>.
        assert ours.meta.endpoint_url == _where_boto3_sends(theirs)
        return
    assert ours.meta.endpoint_url == theirs.meta.endpoint_url


@pytest.mark.parametrize(
    "env",
    [{}, {"AWS_DEFAULT_REGION": "eu-north-1"}, {"AWS_REGION": "eu-south-1"}],
    ids=repr,
)
def test_client_without_region(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def make(factory: Any) -> Outcome:
        outcome = Outcome(factory.__module__)
        try:
            client = factory("ecr", aws_access_key_id="a", aws_secret_access_key="b")
            outcome.result = {
                "region_name": client.meta.region_name,
                "endpoint_url": client.meta.endpoint_url,
            }
        except Exception as exc:
            outcome.error = exc
        return outcome

    theirs, ours = make(boto3.client), make(ecrclient.client)
    assert_same_outcome(ours, theirs)


@pytest.mark.parametrize("service", ["s3", "ecr-public", "ECR", "sts"])
def test_other_services_refused(service: str) -> None:
    with pytest.raises(Exception, match="ECR") as caught:
        ecrclient.client(service, region_name=REGION)
    assert service in str(caught.value)
    with pytest.raises(Exception, match="ECR"):
        ecrclient.Session(region_name=REGION).client(service)


CONFIG_FILE = """\
[default]
region = eu-west-1

[profile dev]
region = ap-southeast-2
retry_mode = standard
max_attempts = 2

[profile noregion]
output = json
"""

CREDENTIALS_FILE = """\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = dev-secret

[credsonly]
aws_access_key_id = AKIDCREDSONLY
aws_secret_access_key = credsonly-secret
"""


@pytest.fixture
def aws_files(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.write_text(CONFIG_FILE)
    credentials = tmp_path / "credentials"
    credentials.write_text(CREDENTIALS_FILE)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))


SESSION_CASES: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "default": ({}, {}),
    "dev": ({"profile_name": "dev"}, {}),
    "dev-with-region": ({"profile_name": "dev", "region_name": "us-west-2"}, {}),
    "credsonly": ({"profile_name": "credsonly"}, {}),
    "noregion": ({"profile_name": "noregion"}, {}),
    "missing-profile": ({"profile_name": "missing"}, {}),
    "env-profile": ({}, {"AWS_PROFILE": "dev"}),
    "env-region": ({}, {"AWS_DEFAULT_REGION": "ca-central-1"}),
    "env-aws-region": ({"profile_name": "dev"}, {"AWS_REGION": "sa-east-1"}),
    "env-keys": ({}, {"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"}),
    "env-retry": ({}, {"AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "4"}),
    "keys": ({"aws_access_key_id": "AKIDKEYS", "aws_secret_access_key": "s"}, {}),
    "keys-token": (
        {"aws_access_key_id": "AKIDKEYS", "aws_secret_access_key": "s", "aws_session_token": "t"},
        {},
    ),
    "account": (
        {
            "aws_access_key_id": "AKIDKEYS",
            "aws_secret_access_key": "s",
            "aws_account_id": "123456789012",
        },
        {},
    ),
    "account-without-keys": ({"aws_account_id": "123456789012"}, {}),
    "account-without-secret": (
        {"aws_access_key_id": "AKIDKEYS", "aws_account_id": "123456789012"},
        {},
    ),
}


def _session_facts(session_class: Any, kwargs: dict[str, Any], url: str) -> Any:
    session = session_class(**kwargs)
    facts: dict[str, Any] = {
        "profile_name": session.profile_name,
        "region_name": session.region_name,
        "available_profiles": session.available_profiles,
        "ecr regions": session.get_available_regions("ecr"),
        "ecr regions, aws-cn": session.get_available_regions("ecr", "aws-cn"),
        "partitions": session.get_available_partitions(),
        "partition of cn-north-1": session.get_partition_for_region("cn-north-1"),
        "ecr served": "ecr" in session.get_available_services(),
    }
    credentials = session.get_credentials()
    if credentials is not None:
        frozen = credentials.get_frozen_credentials()
        facts["credentials"] = (
            type(credentials).__name__,
            frozen.access_key,
            frozen.secret_key,
            frozen.token,
            getattr(frozen, "account_id", None),
        )
    client = session.client("ecr", endpoint_url=url)
    if hasattr(client, "typed"):
        client.typed._sleep = lambda seconds: None
    facts["client.region_name"] = client.meta.region_name
    try:
        client.describe_registry()
    except ClientError as exc:
        facts["error"] = (type(exc).__name__, str(exc), exc.response)
    return facts


@pytest.mark.parametrize("case", SESSION_CASES)
def test_session_matches_boto3(
    server: FaultServer, aws_files: None, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    kwargs, env = SESSION_CASES[case]
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    script = [error(500, "ServerException", "try again")] * 6
    outcomes = []
    for label, session_class in (
        ("boto3", boto3.session.Session),
        ("ecrclient", ecrclient.Session),
    ):
        server.default = ok({})
        server.script(script)
        before = len(server.requests)
        outcome = Outcome(label)
        try:
            outcome.result = _session_facts(session_class, kwargs, server.url)
        except Exception as exc:
            outcome.error = exc
        outcome.requests = server.requests[before:]
        outcomes.append(outcome)
    theirs, ours = outcomes
    assert_same_outcome(ours, theirs)


def test_session_keys_reach_the_client(server: FaultServer, aws_files: None) -> None:
    kwargs = {
        "aws_access_key_id": "AKIDSESSION",
        "aws_secret_access_key": "x",
        "region_name": "eu-central-1",
    }
    outcomes = []
    for session_class in (boto3.session.Session, ecrclient.Session):
        server.script([ok({})])
        before = len(server.requests)
        session_class(**kwargs).client("ecr", endpoint_url=server.url).describe_registry()
        outcomes.append(server.requests[before:])
    theirs, ours = outcomes
    assert len(ours) == len(theirs) == 1
    assert (
        ours[0].headers["authorization"].split(",")[0]
        == theirs[0].headers["authorization"].split(",")[0]
    )


# --------------------------------------------------------------------------------------------
# 9. boto3-style code against moto, run with each client.
# --------------------------------------------------------------------------------------------

VARYING_HEADERS = {"date", "x-amzn-requestid", "x-amz-request-id", "x-amz-id-2", "content-length"}
"""Header values that differ between two runs: per-request ids and dates, and the body length
(moto's timestamps are floats of varying length)."""


def normalize(value: Any) -> Any:
    """What may differ between two runs of the same code: timestamps (kept as type facts) and
    per-request header values."""
    from datetime import datetime

    if isinstance(value, datetime):
        return ("datetime", type(value.tzinfo).__name__, value.utcoffset() is not None)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "RequestId" or (isinstance(key, str) and key.lower() in VARYING_HEADERS):
                out[key] = ("varies", type(item).__name__)
            else:
                out[key] = normalize(item)
        return out
    if isinstance(value, list | tuple):
        return [normalize(item) for item in value]
    return value


def boto3_style_program(client: Any, name: str) -> dict[str, Any]:
    """Ordinary boto3 code: what it collects is compared between the two clients."""
    out: dict[str, Any] = {}
    out["create"] = client.create_repository(
        repositoryName=name,
        tags=[{"Key": "team", "Value": "compat"}],
        imageScanningConfiguration={"scanOnPush": True},
        imageTagMutability="MUTABLE",
    )
    for n in range(2):
        manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"digest": "sha256:" + f"{n:x}" * 64, "size": 100 + n},
                "layers": [],
            }
        )
        out[f"put_image_{n}"] = client.put_image(
            repositoryName=name, imageManifest=manifest, imageTag=f"v{n}"
        )
    paginator = client.get_paginator("describe_images")
    out["pages"] = list(paginator.paginate(repositoryName=name, PaginationConfig={"PageSize": 1}))
    out["full"] = paginator.paginate(repositoryName=name).build_full_result()
    out["list_images"] = client.list_images(repositoryName=name)
    out["batch_get_image"] = client.batch_get_image(
        repositoryName=name, imageIds=[{"imageTag": "v1"}, {"imageTag": "missing"}]
    )
    arn = out["create"]["repository"]["repositoryArn"]
    out["tags"] = client.list_tags_for_resource(resourceArn=arn)
    try:
        client.describe_repositories(repositoryNames=[name + "-missing"])
    except client.exceptions.RepositoryNotFoundException as exc:
        out["missing"] = (type(exc).__name__, str(exc), exc.response, exc.operation_name)
    try:
        client.create_repository(repositoryName=name)
    except client.exceptions.RepositoryAlreadyExistsException as exc:
        out["exists"] = (type(exc).__name__, str(exc), exc.response, exc.operation_name)
    try:
        client.get_lifecycle_policy(repositoryName=name)
    except ClientError as exc:
        out["no_policy"] = (type(exc).__name__, str(exc), exc.response)
    out["delete_images"] = client.batch_delete_image(
        repositoryName=name, imageIds=[{"imageTag": "v0"}, {"imageTag": "nope"}]
    )
    out["delete"] = client.delete_repository(repositoryName=name, force=True)
    return out


def test_boto3_program_against_moto(moto_endpoint: str) -> None:
    name = f"compat-{uuid.uuid4().hex[:8]}"
    theirs = boto3_style_program(boto3_client(moto_endpoint), name)
    ours = boto3_style_program(ecr_client(moto_endpoint), name)
    assert_same(normalize(ours), normalize(theirs))
    # Timestamps: tz-aware local datetimes on both sides.
    created = ours["create"]["repository"]["createdAt"]
    assert type(created.tzinfo) is type(theirs["create"]["repository"]["createdAt"].tzinfo)


def test_moto_calls_pairwise(moto_endpoint: str) -> None:
    """Calls that need no setup, compared whole (minus per-request headers)."""
    theirs_client, ours_client = boto3_client(moto_endpoint), ecr_client(moto_endpoint)
    calls = [
        ("describe_registry", {}),
        ("get_registry_policy", {}),
        ("describe_pull_through_cache_rules", {}),
        ("describe_repositories", {"repositoryNames": ["does-not-exist"]}),
        ("delete_repository", {"repositoryName": "does-not-exist"}),
        ("get_registry_scanning_configuration", {}),
    ]
    differences = []
    for method, params in calls:
        results = []
        for client in (ours_client, theirs_client):
            try:
                results.append(("ok", getattr(client, method)(**params)))
            except Exception as exc:
                results.append((type(exc).__name__, str(exc), getattr(exc, "response", None)))
        differences.append(
            difference(lambda r=results: assert_same(normalize(r[0]), normalize(r[1])))
        )
    assert_no_differences(differences)


def test_entry_points_take_boto3s_parameters() -> None:
    """Same names, same order, same defaults: a call that boto3 accepts is accepted here."""
    import inspect

    import ecrclient.aio

    def parameters(function: Any) -> list[tuple[str, Any]]:
        return [
            (p.name, p.default)
            for p in inspect.signature(function).parameters.values()
            if p.name != "self"
        ]

    client_parameters = parameters(boto3.session.Session.client)
    assert parameters(ecrclient.client) == client_parameters
    assert parameters(ecrclient.aio.client) == client_parameters
    assert parameters(ecrclient.Session.client) == client_parameters
    assert parameters(ecrclient.Session.__init__) == parameters(boto3.session.Session.__init__)
    for name in ("get_available_regions", "get_partition_for_region", "get_credentials"):
        assert parameters(getattr(ecrclient.Session, name)) == parameters(
            getattr(boto3.session.Session, name)
        )


def test_an_account_id_is_taken_as_boto3_takes_it(server: FaultServer) -> None:
    keys = {"aws_access_key_id": "AKIDACCOUNT", "aws_secret_access_key": "s"}
    sent = []
    for make in (boto3.client, ecrclient.client):
        server.script([ok({})])
        before = len(server.requests)
        client: Any = make(
            "ecr",
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_account_id="123456789012",
            **keys,
        )
        client.describe_registry()
        sent.append([(r.path, r.body) for r in server.requests[before:]])
    assert sent[0] == sent[1] and len(sent[1]) == 1


@pytest.mark.parametrize(
    "zone", ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "UTC"]
)
def test_local_timestamps_match_botocores_across_zone_changes_and_dst_folds(zone: str) -> None:
    """Wall time, offset, ``fold`` and zone class as botocore's parser gives them, including
    the repeated hour when clocks go back and a zone changed mid-process with ``tzset``."""
    from datetime import datetime, timezone

    from botocore.utils import parse_timestamp

    from ecrclient._core.wire import timestamp_local

    old = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        instants = [1_700_000_000.123, 0, 1_699_165_800, 1_699_169_400, 1_698_537_600 + 1800]
        instants += [1_711_846_800 + k * 900 for k in range(8)]  # around a March change
        instants += [1_699_153_200 + k * 900 for k in range(12)]  # around a November change
        for epoch in instants:
            theirs = parse_timestamp(epoch)
            ours = timestamp_local(datetime.fromtimestamp(epoch, timezone.utc))
            # Not ``==``: aware datetimes in a repeated hour never equal ones of another
            # tzinfo object (PEP 495), and each side has its own tzlocal().
            assert ours.timestamp() == theirs.timestamp() == epoch
            assert ours.replace(tzinfo=None) == theirs.replace(tzinfo=None), epoch
            assert (ours.fold, ours.utcoffset()) == (theirs.fold, theirs.utcoffset()), epoch
            assert type(ours.tzinfo) is type(theirs.tzinfo)
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


PRESIGN_CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "no-params": ({}, {"ClientMethod": "get_authorization_token"}),
    "params": (
        {},
        {
            "ClientMethod": "describe_repositories",
            "Params": {"repositoryNames": ["web", "api"], "maxResults": 5},
            "ExpiresIn": 60,
        },
    ),
    "get": (
        {},
        {"ClientMethod": "list_images", "Params": {"repositoryName": "web"}, "HttpMethod": "GET"},
    ),
    "session-token": (
        {"aws_session_token": "token/with+chars"},
        {"ClientMethod": "describe_registry"},
    ),
    "endpoint": ({"endpoint_url": "http://127.0.0.1:4566"}, {"ClientMethod": "describe_registry"}),
    "unknown-method": ({}, {"ClientMethod": "describe_everything"}),
    "invalid-params": ({}, {"ClientMethod": "list_images", "Params": {"repositoryName": 7}}),
    "missing-params": ({}, {"ClientMethod": "list_images"}),
    "unknown-param": (
        {},
        {"ClientMethod": "list_images", "Params": {"repositoryName": "web", "colour": 1}},
    ),
}


@pytest.mark.parametrize("case", list(PRESIGN_CASES), ids=list(PRESIGN_CASES))
def test_presigned_urls_match_boto3(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    import botocore.auth

    import ecrclient.aio

    options, arguments = PRESIGN_CASES[case]
    signing_time = datetime.datetime(2026, 11, 28, 7, 0, 0)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda **_: signing_time)
    keys = {
        "region_name": "eu-west-1",
        "aws_access_key_id": "AKIDPRESIGN",
        "aws_secret_access_key": "s",
    }

    def outcome(produce: Callable[[], str]) -> tuple[str, str]:
        try:
            return ("url", produce())
        except Exception as exc:
            return (type(exc).__name__, str(exc))

    expected = outcome(
        lambda: boto3.client("ecr", **keys, **options).generate_presigned_url(**arguments)
    )
    ours = outcome(
        lambda: ecrclient.client("ecr", **keys, **options).generate_presigned_url(**arguments)
    )

    async def presign_async() -> str:
        async with ecrclient.aio.client("ecr", **keys, **options) as client:
            url: str = await client.generate_presigned_url(**arguments)
            return url

    ours_async = outcome(lambda: asyncio.run(presign_async()))
    assert ours == expected
    assert ours_async == expected
    refused = ("unknown-method", "invalid-params", "missing-params", "unknown-param")
    assert (expected[0] == "url") == (case not in refused), expected


@pytest.mark.parametrize(
    ("source", "appid"),
    [
        ("config", "billing-service"),
        ("config", "my app/v2#7,x"),
        ("environment", "from-env"),
        ("profile", "from-profile"),
    ],
)
def test_the_application_id_reaches_the_user_agent_as_boto3_sends_it(
    server: FaultServer, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, source: str, appid: str
) -> None:
    options: dict[str, Any] = {}
    if source == "config":
        options["config"] = Config(user_agent_appid=appid)
    elif source == "environment":
        monkeypatch.setenv("AWS_SDK_UA_APP_ID", appid)
    else:
        config = tmp_path / "config"
        config.write_text(f"[default]\nsdk_ua_app_id = {appid}\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    tokens = []
    for make in (boto3.session.Session().client, ecrclient.client):
        server.script([ok({})])
        before = len(server.requests)
        client: Any = make(
            "ecr",
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="AKIDAPP",
            aws_secret_access_key="s",
            **options,
        )
        client.describe_registry()
        agent = server.requests[before].headers["user-agent"]
        tokens.append([token for token in agent.split() if token.startswith("app/")])
    assert tokens[1] == tokens[0] and len(tokens[0]) == 1


def test_config_options_the_drop_in_does_not_apply_are_named_in_a_warning() -> None:
    from ecrclient.compat import UnappliedConfigWarning

    keys = {"region_name": "us-east-1", "aws_access_key_id": "a", "aws_secret_access_key": "b"}
    with pytest.warns(UnappliedConfigWarning, match="defaults_mode, tcp_keepalive") as caught:
        ecrclient.client(
            "ecr",
            **keys,
            config=Config(tcp_keepalive=True, defaults_mode="standard", read_timeout=5),
        )
    assert caught[0].filename == __file__  # pointed at the caller's line
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ecrclient.client(
            "ecr",
            **keys,
            config=Config(
                read_timeout=5,
                retries={"mode": "standard"},
                user_agent_appid="x",
                s3={"addressing_style": "path"},  # changes nothing for ECR in boto3 either
                request_checksum_calculation="when_required",
            ),
        )
    options = set(Config.OPTION_DEFAULTS)
    from ecrclient.compat.boto_client import APPLIED_CONFIG_OPTIONS, NO_EFFECT_ON_ECR

    assert options >= APPLIED_CONFIG_OPTIONS | NO_EFFECT_ON_ECR


@pytest.mark.parametrize(
    ("endpoint_url", "configured"),
    [(None, None), ("https://given.example", None), (None, "https://configured.example")],
)
def test_use_ssl_false_picks_the_scheme_as_boto3_does(
    monkeypatch: pytest.MonkeyPatch, endpoint_url: str | None, configured: str | None
) -> None:
    if configured is not None:
        monkeypatch.setenv("AWS_ENDPOINT_URL", configured)
    options: dict[str, Any] = {
        "region_name": "us-west-2",
        "use_ssl": False,
        "endpoint_url": endpoint_url,
        "aws_access_key_id": "AKID",
        "aws_secret_access_key": "secret",
    }
    oracle = boto3.client("ecr", **options)
    drop_in = ecrclient.client("ecr", **options)
    assert drop_in.meta.endpoint_url == oracle.meta.endpoint_url
    assert drop_in.typed.endpoint_url == oracle.meta.endpoint_url
    typed = ecrclient.ECRClient(
        region_name="us-west-2",
        endpoint_url=endpoint_url,
        config=ecrclient.ClientConfig(protocol="http"),
    )
    assert typed.endpoint_url == oracle.meta.endpoint_url
