"""Differential tests: botocore is the oracle for every ECR operation, in both directions.

For each operation and a handful of seeded cases, :mod:`shapegen` draws valid random values
from botocore's own ECR model, and:

* requests: the same boto3-style parameters go through botocore's ``json`` serializer and
  through ecrclient's typed request and ``build_request``; the JSON bodies and the
  ``X-Amz-Target`` / ``Content-Type`` headers must be identical, and ecrclient's validator must
  accept every request;
* responses: the same wire body goes through botocore's ``json`` parser and ecrclient's
  ``parse_response``; the typed result, walked back into botocore's dict shape, must be
  identical, and the result must survive ``_to_wire`` / ``_from_wire``.

No expected value is written by hand: botocore computes every one of them.
"""

from __future__ import annotations

import functools
import importlib
import json
import random
import re
import types
import typing
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import attrs
import botocore.parsers
import botocore.serialize
import pytest
from blocking import MOCKABLE_CLIENT_KINDS
from botocore import xform_name
from botocore.model import OperationModel, Shape
from pinned import SERVICE_MODEL
from shapegen import PATTERN_GENERATORS, ShapeGenerator, check_string

import ecrclient._generated.service
from ecrclient._core.awsjson import build_request, parse_response, response_metadata
from ecrclient._core.messages import HttpResponse
from ecrclient._core.operation import OperationSpec
from ecrclient._core.validation import validate
from ecrclient.errors import AmazonECRException
from ecrclient.faults import FAULTS

BOTOCORE_OPERATIONS = frozenset(SERVICE_MODEL.operation_names)
ECRCLIENT_OPERATIONS = frozenset(ecrclient._generated.service.OPERATION_MODULES)

# The union, so an operation missing on either side shows up as failing cases, not as nothing.
OPERATION_NAMES = tuple(sorted(BOTOCORE_OPERATIONS | ECRCLIENT_OPERATIONS))

VARIANTS: dict[str, float] = {
    # label: the chance that an optional member is present
    "all-members": 1.0,
    "required-only": 0.0,
    "random-a": 0.5,
    "random-b": 0.5,
    "random-c": 0.75,
}

CASES = [
    pytest.param(operation, variant, id=f"{operation}-{variant}")
    for operation in OPERATION_NAMES
    for variant in VARIANTS
]

ENDPOINT = "https://example.com"
REQUEST_ID = "c0ffee00-0000-4000-8000-000000000000"
RESPONSE_METADATA_FIELD = "response_metadata"


# --------------------------------------------------------------------------------------------
# Looking things up on both sides.
# --------------------------------------------------------------------------------------------


def operation_model(name: str) -> OperationModel:
    return SERVICE_MODEL.operation_model(name)


def operation_spec(name: str) -> OperationSpec:
    module = importlib.import_module(
        f"ecrclient.model.{ecrclient._generated.service.OPERATION_MODULES[name]}"
    )
    spec = module.OPERATION
    assert isinstance(spec, OperationSpec)
    return spec


def rng_for(operation: str, variant: str, direction: str) -> ShapeGenerator:
    # str seeds are hashed with SHA-512 by random.Random: stable across runs and processes.
    return ShapeGenerator(
        random.Random(f"{operation}/{variant}/{direction}"),
        optional_probability=VARIANTS[variant],
    )


@functools.cache
def field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _without_none(hint: Any) -> Any:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        assert len(args) == 1, f"unexpected union {hint}"
        return args[0]
    return hint


def _fields_by_member(cls: type, shape: Shape) -> dict[str, str]:
    """Member name -> attrs field name; the class must have exactly the shape's members."""
    assert attrs.has(cls), f"{cls!r} for {shape.name} is not an attrs class"
    by_member = {member: xform_name(member) for member in shape.members}
    fields = {f.name for f in attrs.fields(cls)} - {RESPONSE_METADATA_FIELD}
    assert fields == set(by_member.values()), (
        f"{cls.__name__} vs {shape.name}: fields only in ecrclient "
        f"{sorted(fields - set(by_member.values()))}, members only in botocore "
        f"{sorted(set(by_member.values()) - fields)}"
    )
    return by_member


# --------------------------------------------------------------------------------------------
# boto3-style params -> typed request, and typed result -> botocore's dict shape.
# --------------------------------------------------------------------------------------------


def params_to_typed(value: Any, shape: Shape, hint: Any) -> Any:
    """Build the ecrclient value for boto3-style ``value`` of ``shape``; ``hint`` is the field's
    annotation (for structures, the class)."""
    hint = _without_none(hint)
    kind = shape.type_name
    if kind == "structure":
        by_member = _fields_by_member(hint, shape)
        hints = field_types(hint)
        kwargs = {
            by_member[member]: params_to_typed(
                item, shape.members[member], hints[by_member[member]]
            )
            for member, item in value.items()
        }
        return hint(**kwargs)
    if kind == "list":
        (item_hint,) = typing.get_args(hint)
        return [params_to_typed(item, shape.member, item_hint) for item in value]
    if kind == "map":
        _, value_hint = typing.get_args(hint)
        return {
            params_to_typed(key, shape.key, str): params_to_typed(item, shape.value, value_hint)
            for key, item in value.items()
        }
    return value  # scalars, datetimes and bytes are passed as they are


def typed_to_boto(value: Any, shape: Shape, path: str = "$") -> Any:
    """The dict botocore would return for the typed ecrclient ``value`` of ``shape``."""
    kind = shape.type_name
    if kind == "structure":
        by_member = _fields_by_member(type(value), shape)
        out = {}
        for member, field in by_member.items():
            item = getattr(value, field)
            if item is not None:
                out[member] = typed_to_boto(item, shape.members[member], f"{path}.{member}")
        return out
    if kind == "list":
        assert isinstance(value, list), f"{path}: expected a list, got {type(value).__name__}"
        return [typed_to_boto(item, shape.member, f"{path}[{n}]") for n, item in enumerate(value)]
    if kind == "map":
        assert isinstance(value, dict), f"{path}: expected a dict, got {type(value).__name__}"
        return {
            typed_to_boto(key, shape.key, f"{path}<key>"): typed_to_boto(
                item, shape.value, f"{path}[{key!r}]"
            )
            for key, item in value.items()
        }
    if kind == "timestamp":
        assert isinstance(value, datetime), f"{path}: expected a datetime, got {value!r}"
        assert value.utcoffset() == timedelta(0), f"{path}: {value!r} is not tz-aware UTC"
        return value
    if kind == "blob":
        assert isinstance(value, bytes), f"{path}: expected bytes, got {type(value).__name__}"
    return value


def assert_same(
    ours: Any, theirs: Any, path: str = "$", labels: tuple[str, str] = ("ecrclient", "botocore")
) -> None:
    """Equal values of equal types, with a path to the first difference. Datetimes compare as
    instants (botocore's are tzlocal, ecrclient's UTC); other scalars must have the same type,
    so ``1`` and ``1.0`` or ``True`` and ``1`` differ."""
    a, b = labels
    if isinstance(theirs, dict):
        assert isinstance(ours, dict), f"{path}: {a} {ours!r}, {b} {theirs!r}"
        only_ours = sorted(map(repr, ours.keys() - theirs.keys()))
        only_theirs = sorted(map(repr, theirs.keys() - ours.keys()))
        assert not only_ours and not only_theirs, (
            f"{path}: keys only from {a} {only_ours}, only from {b} {only_theirs}"
        )
        for key in theirs:
            assert_same(ours[key], theirs[key], f"{path}.{key}", labels)
    elif isinstance(theirs, list):
        assert isinstance(ours, list), f"{path}: {a} {ours!r}, {b} {theirs!r}"
        assert len(ours) == len(theirs), (
            f"{path}: {len(ours)} items from {a}, {len(theirs)} from {b}"
        )
        for n, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
            assert_same(mine, other, f"{path}[{n}]", labels)
    elif isinstance(theirs, datetime):
        assert isinstance(ours, datetime), f"{path}: {a} {ours!r}, {b} {theirs!r}"
        assert ours.tzinfo is not None, f"{path}: {a}'s {ours!r} is naive"
        assert ours == theirs, f"{path}: {a} {ours.isoformat()}, {b} {theirs.isoformat()}"
    else:
        assert type(ours) is type(theirs) and ours == theirs, (
            f"{path}: {a} {ours!r} ({type(ours).__name__}), "
            f"{b} {theirs!r} ({type(theirs).__name__})"
        )


# --------------------------------------------------------------------------------------------
# Cases, built once and shared by the tests that look at them from different sides.
# --------------------------------------------------------------------------------------------


@attrs.frozen
class RequestCase:
    params: dict[str, Any]
    typed: Any
    botocore_request: dict[str, Any]


@functools.cache
def request_case(operation: str, variant: str) -> RequestCase:
    model = operation_model(operation)
    spec = operation_spec(operation)
    params = rng_for(operation, variant, "request").value(model.input_shape, "params")
    # With validation on, botocore also vouches that the generated params are valid.
    serializer = botocore.serialize.create_serializer("json", include_validation=True)
    botocore_request = serializer.serialize_to_request(params, model)
    typed = params_to_typed(params, model.input_shape, spec.request_type)
    assert type(typed) is spec.request_type
    return RequestCase(params=params, typed=typed, botocore_request=botocore_request)


@attrs.frozen
class ResponseCase:
    body: bytes
    botocore_result: dict[str, Any]
    botocore_metadata: dict[str, Any]
    result: Any


@functools.cache
def response_case(operation: str, variant: str) -> ResponseCase:
    model = operation_model(operation)
    spec = operation_spec(operation)
    wire = rng_for(operation, variant, "response").value(model.output_shape, "wire")
    body = json.dumps(wire).encode()
    headers = {"x-amzn-requestid": REQUEST_ID, "content-type": "application/x-amz-json-1.1"}
    parsed = botocore.parsers.create_parser("json").parse(
        {"status_code": 200, "headers": headers, "body": body}, model.output_shape
    )
    botocore_metadata = parsed.pop("ResponseMetadata")
    http_response = HttpResponse(status_code=200, headers=headers, body=body)
    result = parse_response(
        spec,
        http_response,
        response_metadata(http_response),
        faults=FAULTS,
        base_error=AmazonECRException,
    )
    return ResponseCase(
        body=body, botocore_result=parsed, botocore_metadata=botocore_metadata, result=result
    )


# --------------------------------------------------------------------------------------------
# Coverage.
# --------------------------------------------------------------------------------------------


def test_every_operation_is_covered() -> None:
    covered = {case.values[0] for case in CASES}
    assert len(covered) == len(SERVICE_MODEL.operation_names)
    assert len(covered) == len(ecrclient._generated.service.OPERATION_MODULES)
    assert covered == BOTOCORE_OPERATIONS == ECRCLIENT_OPERATIONS
    assert len(CASES) == len(covered) * len(VARIANTS)


@pytest.mark.parametrize("operation", OPERATION_NAMES)
def test_operation_spec_matches_botocore(operation: str) -> None:
    model = operation_model(operation)
    assert ecrclient._generated.service.OPERATION_MODULES[operation] == xform_name(operation)
    spec = operation_spec(operation)
    assert spec.name == model.name
    assert spec.request_type.__name__ == f"{operation}Request"
    assert spec.result_type.__name__ == f"{operation}Result"
    codes = [s.metadata.get("error", {}).get("code", s.name) for s in model.error_shapes]
    assert sorted(spec.errors) == sorted(codes)
    assert all(code in FAULTS for code in spec.errors)
    # Every member on both top-level shapes, and no more.
    _fields_by_member(spec.request_type, model.input_shape)
    _fields_by_member(spec.result_type, model.output_shape)


def _pattern_shapes() -> list[Any]:
    return [
        pytest.param(SERVICE_MODEL.shape_for(name), id=name)
        for name in sorted(SERVICE_MODEL.shape_names)
        if "pattern" in SERVICE_MODEL.shape_for(name).metadata
    ]


def test_every_model_pattern_has_a_generator() -> None:
    patterns = {param.values[0].metadata["pattern"] for param in _pattern_shapes()}
    assert patterns == set(PATTERN_GENERATORS)


@pytest.mark.parametrize("shape", _pattern_shapes())
def test_generated_strings_match_their_pattern(shape: Shape) -> None:
    generator = ShapeGenerator(random.Random(shape.name))
    for _ in range(200):
        value = generator.value(shape, "params")
        check_string(shape, value)  # length, pattern (re.search)
        assert re.search(shape.metadata["pattern"], value)


# --------------------------------------------------------------------------------------------
# Requests: params -> botocore body vs params -> typed request -> ecrclient body.
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("operation", "variant"), CASES)
def test_request_matches_botocore(operation: str, variant: str) -> None:
    case = request_case(operation, variant)
    ours = build_request(
        ecrclient._generated.service.SERVICE,
        operation_spec(operation),
        case.typed,
        endpoint_url=ENDPOINT,
        headers={},
    )
    theirs = case.botocore_request

    our_body = json.loads(ours.body)
    their_body = json.loads(theirs["body"])
    assert_same(our_body, their_body)
    assert our_body == their_body

    assert ours.headers["X-Amz-Target"] == theirs["headers"]["X-Amz-Target"]
    assert ours.headers["Content-Type"] == theirs["headers"]["Content-Type"]
    assert ours.method == theirs["method"]
    assert urlsplit(ours.url).path == theirs["url_path"]


@pytest.mark.parametrize(("operation", "variant"), CASES)
def test_validator_accepts_valid_request(operation: str, variant: str) -> None:
    validate(request_case(operation, variant).typed)


@pytest.mark.parametrize(("operation", "variant"), CASES)
def test_request_from_botocore_body_round_trips(operation: str, variant: str) -> None:
    case = request_case(operation, variant)
    body = json.loads(case.botocore_request["body"])
    assert type(case.typed)._from_wire(body) == case.typed


# --------------------------------------------------------------------------------------------
# Responses: wire body -> botocore dict vs wire body -> typed result -> botocore-shaped dict.
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("operation", "variant"), CASES)
def test_response_matches_botocore(operation: str, variant: str) -> None:
    case = response_case(operation, variant)
    assert type(case.result) is operation_spec(operation).result_type
    ours = typed_to_boto(case.result, operation_model(operation).output_shape)
    assert_same(ours, case.botocore_result)
    assert ours == case.botocore_result
    assert case.result.response_metadata.request_id == case.botocore_metadata["RequestId"]


@pytest.mark.parametrize(("operation", "variant"), CASES)
def test_result_wire_round_trips(operation: str, variant: str) -> None:
    result = response_case(operation, variant).result
    wire = result._to_wire()
    assert isinstance(wire, Mapping)
    json.dumps(wire)  # JSON-ready
    again = type(result)._from_wire(wire)
    shape = operation_model(operation).output_shape
    assert_same(
        typed_to_boto(again, shape),
        typed_to_boto(result, shape),
        labels=("after _to_wire/_from_wire", "as parsed"),
    )
    assert again == result


# --------------------------------------------------------------------------------------------
# The same cases through a whole ECRClient call over (mocked) HTTP.
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=MOCKABLE_CLIENT_KINDS)
def http_client(request: pytest.FixtureRequest) -> typing.Iterator[Any]:
    from blocking import make_client

    with make_client(
        request.param,
        region_name="us-east-1",
        endpoint_url=ENDPOINT,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    ) as client:
        yield client


@pytest.mark.parametrize("operation", OPERATION_NAMES)
def test_every_operation_over_http(http_client: Any, operation: str) -> None:
    """One call per operation through ECRClient: the exact HTTP request botocore would send,
    and the typed result botocore's parse corresponds to."""
    import respx

    request = request_case(operation, "all-members")
    response = response_case(operation, "all-members")
    method = getattr(http_client, ecrclient._generated.service.OPERATION_MODULES[operation])
    with respx.mock(assert_all_called=True) as router:
        route = router.post(f"{ENDPOINT}/").respond(
            200, content=response.body, headers={"x-amzn-RequestId": REQUEST_ID}
        )
        result = method(request.typed)
        sent = route.calls.last.request
    expected = request.botocore_request
    assert sent.method == expected["method"] == "POST"
    assert sent.url.path == urlsplit(expected["url_path"]).path == "/"
    for name, value in expected["headers"].items():
        assert sent.headers[name] == value
    assert sent.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert json.loads(sent.content) == json.loads(expected["body"])
    assert result == response.result
    assert_same(
        typed_to_boto(result, operation_model(operation).output_shape), response.botocore_result
    )
    assert result.response_metadata.request_id == REQUEST_ID
    assert http_client.get_cached_response_metadata(request.typed) is result.response_metadata
