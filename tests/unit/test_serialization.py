"""``ecrclient.serialization``: every model object survives ``to_json_dict`` → JSON text →
``from_json_dict``, and what is read back is checked."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from compat_oracle import LaxShapeGenerator
from pinned import SERVICE_MODEL
from shapegen import ShapeGenerator

import ecrclient.model
from ecrclient._core.metadata import ResponseMetadata
from ecrclient._generated.service import OPERATION_MODULES
from ecrclient._runtime.operations import load_operation
from ecrclient.model import (
    DescribeImagesResult,
    ImageDetail,
    Tag,
    UploadLayerPartRequest,
)
from ecrclient.serialization import from_json_dict, to_json_dict

OPERATIONS = sorted(OPERATION_MODULES)


class EveryMember(ShapeGenerator):
    """Every member present and every list and map holding at least one entry, so that each
    operation's values reach each of its classes."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__(rng, optional_probability=1.0)

    def _count(self, shape: Any, depth: int) -> int:
        return max(1, super()._count(shape, depth))


def _instances(operation: str) -> Iterator[tuple[str, type, Any]]:
    """Requests and results of ``operation`` built from generated wire values: every member
    present, about half of them, only the required ones, and (results) required members
    missing too, as a lenient read of an answer allows."""
    spec = load_operation(OPERATION_MODULES[operation])
    model = SERVICE_MODEL.operation_model(operation)
    for variant in ("every", "half", "required"):
        for side, shape, cls in (
            ("request", model.input_shape, spec.request_type),
            ("result", model.output_shape, spec.result_type),
        ):
            rng = random.Random(f"serialization/{operation}/{side}/{variant}")
            generator = {
                "every": EveryMember(rng),
                "half": ShapeGenerator(rng, optional_probability=0.5),
                "required": ShapeGenerator(rng, optional_probability=0.0),
            }[variant]
            wire = {} if shape is None else generator.value(shape, "wire")
            yield f"{side}-{variant}", cls, cls._from_wire(wire)
    if model.output_shape is not None:
        lax = LaxShapeGenerator(
            random.Random(f"serialization/{operation}/lax"), optional_probability=0.7
        )
        yield (
            "result-lax",
            spec.result_type,
            spec.result_type._from_wire(lax.value(model.output_shape, "wire")),
        )


def _classes_in(value: Any) -> Iterator[type]:
    if attrs.has(type(value)):
        yield type(value)
        for field in attrs.fields(type(value)):
            yield from _classes_in(getattr(value, field.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _classes_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _classes_in(item)


def _json_types_only(value: Any, path: str = "$") -> list[str]:
    if value is None or isinstance(value, (str, int, float, bool)):
        return []
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _json_types_only(item, f"{path}[{i}]")]
    if isinstance(value, dict):
        return [
            p
            for key, item in value.items()
            for p in ([f"{path}: key {key!r}"] if not isinstance(key, str) else [])
            + _json_types_only(item, f"{path}.{key}")
        ]
    return [f"{path}: {type(value).__name__}"]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_request_and_result_round_trips_through_json(operation: str) -> None:
    for label, cls, obj in _instances(operation):
        data = to_json_dict(obj)
        assert _json_types_only(data) == [], label
        text = json.dumps(data, allow_nan=False)
        again = from_json_dict(cls, json.loads(text))
        assert type(again) is cls
        assert again == obj, label
        assert to_json_dict(again) == data, label


def test_the_round_trips_reach_every_model_class() -> None:
    seen = {
        cls
        for operation in OPERATIONS
        for _, _, obj in _instances(operation)
        for cls in _classes_in(obj)
    }
    model_classes = {
        cls
        for cls in (getattr(ecrclient.model, name) for name in ecrclient.model.__all__)
        if attrs.has(cls)
    }
    assert len(model_classes) > 150
    assert model_classes - seen == set()


def test_the_dict_form() -> None:
    pushed = datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=timezone(timedelta(hours=2)))
    result = DescribeImagesResult(
        image_details=[
            ImageDetail(image_digest="sha256:ab", image_tags=["v1"], image_pushed_at=pushed)
        ],
        response_metadata=ResponseMetadata(
            request_id="r-1", http_status_code=200, http_headers={"x": "y"}
        ),
    )
    data = to_json_dict(result)
    # Absent members are left out; the call's metadata is not part of the result.
    assert data == {
        "image_details": [
            {
                "image_digest": "sha256:ab",
                "image_tags": ["v1"],
                "image_pushed_at": "2024-05-01T10:00:00.250000+00:00",
            }
        ]
    }
    again = from_json_dict(DescribeImagesResult, data)
    assert again == result and again.response_metadata.is_empty
    assert again.image_details is not None
    assert again.image_details[0].image_pushed_at == pushed
    assert again.image_details[0].image_pushed_at.tzinfo is timezone.utc

    blob = UploadLayerPartRequest(
        repository_name="r",
        upload_id="u",
        part_first_byte=0,
        part_last_byte=2,
        layer_part_blob=b"\x00\xff\x10",
    )
    assert to_json_dict(blob)["layer_part_blob"] == "AP8Q"
    assert from_json_dict(UploadLayerPartRequest, to_json_dict(blob)) == blob

    # A naive datetime is UTC, as when it is sent; "Z" is read as UTC.
    naive = ImageDetail(image_pushed_at=datetime(2024, 1, 1))
    assert to_json_dict(naive) == {"image_pushed_at": "2024-01-01T00:00:00+00:00"}
    utc = ImageDetail(image_pushed_at=datetime(2024, 1, 1, tzinfo=timezone.utc))
    assert from_json_dict(ImageDetail, {"image_pushed_at": "2024-01-01T00:00:00Z"}) == utc

    # A required member an answer left out is written as null and read back as None.
    assert to_json_dict(Tag(key=None, value="v")) == {"key": None, "value": "v"}
    assert from_json_dict(Tag, {"key": None, "value": "v"}) == Tag(key=None, value="v")

    # Sequences come back as lists, as they are read from an answer.
    tuples = DescribeImagesResult(image_details=(ImageDetail(image_tags=("a", "b")),))
    back = from_json_dict(DescribeImagesResult, to_json_dict(tuples))
    assert back.image_details == [ImageDetail(image_tags=["a", "b"])]


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        ({"nextToken": "x"}, ["extra fields found (nextToken) @ $"]),
        ({"image_details": "x"}, ["expected a list, got str @ $.image_details"]),
        ({"image_details": ["x"]}, ["expected an object, got str @ $.image_details[0]"]),
        (
            {
                "image_details": [
                    {
                        "image_digest": 5,
                        "image_tags": "v1",
                        "image_size_in_bytes": True,
                        "image_pushed_at": "2024-01-01T00:00:00",
                        "image_scan_findings_summary": {"finding_severity_counts": {"HIGH": "2"}},
                    }
                ]
            },
            [
                "expected str, got int @ $.image_details[0].image_digest",
                "expected a list, got str @ $.image_details[0].image_tags",
                "expected int, got bool @ $.image_details[0].image_size_in_bytes",
                "'2024-01-01T00:00:00' has no time zone @ $.image_details[0].image_pushed_at",
                "expected int, got str @ "
                "$.image_details[0].image_scan_findings_summary.finding_severity_counts['HIGH']",
            ],
        ),
    ],
)
def test_what_is_read_is_checked(data: dict[str, Any], problems: list[str]) -> None:
    with pytest.raises(ValueError, match=r"^not a valid DescribeImagesResult: ") as caught:
        from_json_dict(DescribeImagesResult, data)
    message = str(caught.value)
    for problem in problems:
        assert problem in message


def test_missing_required_members_and_bad_blobs_are_reported_together() -> None:
    with pytest.raises(ValueError) as caught:
        from_json_dict(UploadLayerPartRequest, {"repository_name": "r", "layer_part_blob": "**"})
    message = str(caught.value)
    for member in ("upload_id", "part_first_byte", "part_last_byte"):
        assert f"required field missing @ $.{member}" in message
    assert "not base64" in message and "$.layer_part_blob" in message


def test_only_model_objects_and_dicts() -> None:
    with pytest.raises(TypeError, match=r"not an ecrclient\.model object"):
        to_json_dict({"repository_name": "r"})
    with pytest.raises(TypeError, match=r"not an ecrclient\.model class"):
        from_json_dict(ResponseMetadata, {})
    with pytest.raises(ValueError, match="expected a dict for Tag, got list"):
        from_json_dict(Tag, [1])
