"""codegen/drift.py: no drift between the pinned model and the botocore the test extra pins, and
each kind of difference named in the report of a model edited on purpose.

The other models are built from the pinned files in a temporary directory (an older pinned
model, or a stand-in botocore package with ``.json.gz`` data files), so nothing is downloaded.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore
import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "codegen" / "model"
SCRIPT = ROOT / "codegen" / "drift.py"
SERVICE_FILES = ("service-2", "paginators-1", "waiters-2", "endpoint-rule-set-1")

Files = dict[str, Any]


def _load_drift() -> ModuleType:
    spec = importlib.util.spec_from_file_location("codegen_drift", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


drift = _load_drift()


def model_files(files: Files, version: str = "9.9.9") -> Any:
    """A ``drift.ModelFiles`` of parsed files, as if loaded from nowhere in particular."""
    return drift.ModelFiles(
        version=version,
        origin="memory",
        service=files["service-2"],
        paginators=files["paginators-1"],
        waiters=files["waiters-2"],
        ruleset=files["endpoint-rule-set-1"],
        partitions=files["partitions"],
    )


def pinned_files() -> Files:
    return {
        stem: json.loads((MODEL / f"{stem}.json").read_text())
        for stem in (*SERVICE_FILES, "partitions")
    }


def write_pinned(dest: Path, files: Files, version: str) -> Path:
    """A pinned-model directory as codegen/update_model.py writes it."""
    dest.mkdir(parents=True)
    for stem, data in files.items():
        (dest / f"{stem}.json").write_text(json.dumps(data))
    (dest / "SOURCE.md").write_text(
        f"# Pinned model files\n\nCopied unchanged (decompressed) from botocore {version}.\n"
    )
    return dest


def write_botocore(dest: Path, files: Files, version: str) -> Path:
    """A stand-in botocore package directory, its data files compressed as botocore ships them."""
    service_dir = dest / "data" / "ecr" / "2015-09-21"
    service_dir.mkdir(parents=True)
    (dest / "__init__.py").write_text(f"__version__ = '{version}'\n")
    for stem in SERVICE_FILES:
        (service_dir / f"{stem}.json.gz").write_bytes(
            gzip.compress(json.dumps(files[stem]).encode())
        )
    (dest / "data" / "partitions.json").write_text(json.dumps(files["partitions"]))
    return dest


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def sections(report: str) -> dict[str, list[str]]:
    """The report's lines by section title (the lines before the first title under "")."""
    out: dict[str, list[str]] = {"": []}
    current = ""
    for line in report.splitlines():
        if line.endswith(":") and not line.startswith(" ") and line != "Summary:":
            current = line[:-1]
            out[current] = []
        else:
            out[current].append(line)
    return out


def entry(lines: list[str], head: str) -> list[str]:
    """The lines of the entry whose first line is ``head``: it and its indented surface lines."""
    start = lines.index(head)
    end = start + 1
    while end < len(lines) and lines[end].startswith("      "):
        end += 1
    return lines[start:end]


# --- the pinned model against the pinned botocore ------------------------------------------------


def test_installed_botocore_is_the_one_the_model_came_from() -> None:
    source = (MODEL / "SOURCE.md").read_text()
    assert drift.pinned_version(source) == botocore.__version__, (
        "the test extra pins botocore to the version in codegen/model/SOURCE.md"
    )


def test_no_drift_against_installed_botocore() -> None:
    result = run_cli()
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        f"ECR model drift: pinned botocore {botocore.__version__} ({MODEL}) -> "
        f"current botocore {botocore.__version__} ("
    )
    assert lines[1:] == ["no drift"]


def test_compare_ignores_documentation() -> None:
    pinned = drift.load_pinned(MODEL)
    assert drift.compare(pinned, pinned) == []
    files = pinned_files()
    files["service-2"]["shapes"]["Repository"]["documentation"] = "<p>Reworded.</p>"
    files["service-2"]["operations"]["ListImages"]["documentation"] = "<p>Reworded.</p>"
    files["service-2"]["documentation"] = "<p>Reworded.</p>"
    files["endpoint-rule-set-1"]["parameters"]["Region"]["documentation"] = "Reworded."
    reworded = model_files(files)
    assert drift.compare(reworded, pinned) == []


# --- an older pinned model against the installed botocore ---------------------------------------


def make_older(files: Files) -> None:
    """One edit of each kind, so that the installed (pinned) botocore reads as newer."""
    shapes = files["service-2"]["shapes"]
    operations = files["service-2"]["operations"]
    # An operation, with its input and output.
    operation = operations.pop("StartReplicationBackfill")
    del shapes[operation["input"]["shape"]], shapes[operation["output"]["shape"]]
    # A member of a shape, and one of an operation's input.
    del shapes["Repository"]["members"]["imageTagMutabilityExclusionFilters"]
    del shapes["PutImageRequest"]["members"]["imageDigest"]
    # A member's target shape: a string where the current model has a timestamp.
    shapes["Repository"]["members"]["createdAt"]["shape"] = "Url"
    # An enum value the current model dropped, and a constraint it moved.
    shapes["ImageTagMutability"]["enum"].append("LEGACY_MUTABLE")
    shapes["RepositoryName"]["max"] = 200
    # An error shape (still listed by its operations), and an operation's errors list.
    del shapes["ReplicationBackfillNotFoundException"]
    put_image = operations["PutImage"]
    put_image["errors"] = [e for e in put_image["errors"] if e["shape"] != "KmsException"]
    # A paginator, a waiter's acceptor, the rule set's version.
    del files["paginators-1"]["pagination"]["ListImages"]
    files["waiters-2"]["waiters"]["ImageScanComplete"]["acceptors"][1]["expected"] = "FAILURE"
    files["endpoint-rule-set-1"]["version"] = "0.9"
    # Documentation only: not a difference.
    shapes["Repository"]["documentation"] = "<p>Reworded.</p>"
    operations["ListImages"]["documentation"] = "<p>Reworded.</p>"


@pytest.fixture(scope="module")
def older_report(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    files = pinned_files()
    make_older(files)
    older = write_pinned(tmp_path_factory.mktemp("drift") / "model", files, "1.43.11")
    return run_cli("--pinned", str(older))


def test_older_model_exit_status_and_header(
    older_report: subprocess.CompletedProcess[str],
) -> None:
    assert older_report.returncode == 1, older_report.stderr
    assert older_report.stderr == ""
    head = sections(older_report.stdout)[""]
    assert head[0].startswith("ECR model drift: pinned botocore 1.43.11 (")
    assert f"-> current botocore {botocore.__version__} (" in head[0]
    assert "  Operations: 1 added, 1 changed" in head
    assert "  Shapes: 3 changed" in head
    assert "  Modeled errors: 1 added" in head
    assert "  Paginators: 1 added" in head
    assert "  Waiters: 1 changed" in head
    assert "  Service metadata: unchanged" in head
    assert "  Endpoint rule set changed: yes" in head
    assert "  Partitions changed: no" in head
    assert "Reworded" not in older_report.stdout
    assert older_report.stdout.rstrip().endswith(
        f"nox -s update-model -- {botocore.__version__}, then pin boto3 and botocore to it in "
        "the test extra of pyproject.toml and run the tests."
    )


def test_older_model_operations(older_report: subprocess.CompletedProcess[str]) -> None:
    ops = sections(older_report.stdout)["Operations"]
    assert entry(ops, "  + StartReplicationBackfill: added") == [
        "  + StartReplicationBackfill: added",
        "      typed:   new client method start_replication_backfill on ECRClient and "
        "AsyncECRClient; new classes StartReplicationBackfillRequest, "
        "StartReplicationBackfillResult (ecrclient.model.start_replication_backfill)",
        "      drop-in: new client method start_replication_backfill on the sync and async "
        "drop-in clients; new StartReplicationBackfillRequestTypeDef, "
        "StartReplicationBackfillResponseTypeDef",
    ]
    assert entry(ops, "  ~ PutImage: input member imageDigest added (optional, ImageDigest)") == [
        "  ~ PutImage: input member imageDigest added (optional, ImageDigest)",
        "      typed:   new optional argument image_digest of put_image() "
        "(PutImageRequest.image_digest)",
        "      drop-in: new optional parameter imageDigest of put_image() (PutImageRequestTypeDef)",
    ]
    assert entry(ops, "  ~ PutImage: errors added: KmsException") == [
        "  ~ PutImage: errors added: KmsException",
        "      typed and drop-in: unchanged",
        "      note: 'Raises' in the docstring of put_image() and its OperationSpec.errors",
    ]
    assert not [line for line in ops if "ListImages" in line]  # documentation only


def test_older_model_shapes(older_report: subprocess.CompletedProcess[str]) -> None:
    shapes = sections(older_report.stdout)["Shapes"]
    added = "  ~ Repository: member imageTagMutabilityExclusionFilters added "
    assert entry(shapes, added + "(optional, ImageTagMutabilityExclusionFilters)")[1:] == [
        "      typed:   new optional field Repository.image_tag_mutability_exclusion_filters",
        "      drop-in: new optional key imageTagMutabilityExclusionFilters in RepositoryTypeDef",
    ]
    assert entry(shapes, "  ~ Repository: member createdAt: target shape Url -> CreationTimestamp")[
        1:
    ] == [
        "      typed:   Repository.created_at: str -> datetime",
        "      drop-in: RepositoryTypeDef key createdAt: str -> datetime",
    ]
    assert entry(shapes, "  ~ ImageTagMutability: enum values removed: 'LEGACY_MUTABLE'")[1:3] == [
        "      typed:   constants ecrclient.model.enums.ImageTagMutability.LEGACY_MUTABLE removed",
        "      drop-in: unchanged",
    ]
    constraint = entry(shapes, "  ~ RepositoryName: max 200 -> 256")
    assert constraint[1] == "      typed and drop-in: unchanged"
    assert constraint[2].startswith("      note: request validation changes (used by ")
    # The shapes only the removed operation used are reported with it, not here.
    assert not [line for line in shapes if "StartReplicationBackfill" in line]


def test_older_model_errors_paginators_waiters_endpoints(
    older_report: subprocess.CompletedProcess[str],
) -> None:
    report = sections(older_report.stdout)
    assert report["Modeled errors"] == [
        "  + ReplicationBackfillNotFoundException: added",
        "      typed:   new fault class ReplicationBackfillNotFoundException (ecrclient.errors, "
        "ecrclient.faults)",
        "      drop-in: new client.exceptions.ReplicationBackfillNotFoundException",
        "",
    ]
    assert report["Paginators"] == [
        "  + ListImages: added",
        "      typed:   new paginator client.paginators.list_images",
        "      drop-in: new get_paginator('list_images'); can_paginate('list_images') becomes True",
        "",
    ]
    assert report["Waiters"] == [
        '  ~ ImageScanComplete: acceptor 1 expected "FAILURE" -> "FAILED"',
        "      typed and drop-in: unchanged",
        "      note: waiting behaviour changes; signatures unchanged",
        "",
    ]
    endpoints = report["Endpoint rule set"]
    assert "  ~ endpoint-rule-set-1.json: changed" in endpoints
    assert '  ~ endpoint-rule-set-1.json: version "0.9" -> "1.0"' in endpoints
    assert "Partitions" not in report


# --- a stand-in botocore package -----------------------------------------------------------------


def make_stand_in(tmp_path: Path, edit: Callable[[Files], None]) -> Path:
    files = pinned_files()
    edit(files)
    return write_botocore(tmp_path / "botocore", files, "1.43.11")


def test_botocore_root_reads_compressed_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_stand_in(tmp_path, lambda files: None)
    assert drift.main(["--botocore-root", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(f"-> current botocore 1.43.11 ({root})")
    assert out[1:] == ["no drift"]


def test_botocore_root_removals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def older(files: Files) -> None:
        del files["waiters-2"]["waiters"]["LifecyclePolicyPreviewComplete"]
        del files["endpoint-rule-set-1"]["parameters"]["UseDualStack"]
        aws = next(p for p in files["partitions"]["partitions"] if p["id"] == "aws")
        del aws["regions"]["us-east-1"]
        shapes = files["service-2"]["shapes"]
        del shapes["ImageTagMutability"]["enum"][-1]
        shapes["Repository"]["required"] = ["repositoryName"]

    root = make_stand_in(tmp_path, older)
    assert drift.main(["--botocore-root", str(root)]) == 1
    report = sections(capsys.readouterr().out)
    assert entry(report["Waiters"], "  - LifecyclePolicyPreviewComplete: removed")[1:] == [
        "      typed:   waiter client.waiters.lifecycle_policy_preview_complete removed",
        "      drop-in: get_waiter('lifecycle_policy_preview_complete') removed",
    ]
    assert (
        "  ~ endpoint-rule-set-1.json: parameter UseDualStack removed"
        in report["Endpoint rule set"]
    )
    assert "  ~ aws: regions removed: us-east-1" in report["Partitions"]
    assert "  Partitions changed: yes" in report[""]
    assert entry(report["Shapes"], "  ~ Repository: member repositoryName now required")[1:] == [
        "      typed:   Repository.repository_name becomes required",
        "      drop-in: RepositoryTypeDef key repositoryName becomes required",
    ]
    assert (
        "  ~ ImageTagMutability: enum values removed: 'MUTABLE_WITH_EXCLUSION'" in report["Shapes"]
    )


def test_differences_are_data() -> None:
    pinned = drift.load_pinned(MODEL)
    files = pinned_files()
    files["service-2"]["shapes"]["ScanStatus"]["enum"].append("QUEUED")
    files["service-2"]["metadata"]["protocol"] = "smithy-rpc-v2-cbor"
    current = model_files(files)
    assert drift.compare(pinned, current) == [
        drift.Difference(
            drift.Section.SERVICE,
            drift.Change.CHANGED,
            "metadata",
            'protocol "json" -> "smithy-rpc-v2-cbor"',
            note="the hand-written transport and signer assume the pinned value: check them",
        ),
        drift.Difference(
            drift.Section.SHAPES,
            drift.Change.CHANGED,
            "ScanStatus",
            "enum values added: 'QUEUED'",
            typed="new constants ecrclient.model.enums.ScanStatus.QUEUED",
            note="used by ImageScanStatus.status; drop-in fields stay str",
        ),
    ]


# --- usage errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--pinned", "{tmp}/missing"],
        ["--botocore-root", "{tmp}"],
        ["--no-such-option"],
    ],
)
def test_usage_errors_exit_2(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        drift.main([arg.format(tmp=tmp_path) for arg in args])
    assert exited.value.code == 2
    assert "usage: drift.py" in capsys.readouterr().err


def test_usage_error_exit_status_of_the_script(tmp_path: Path) -> None:
    result = run_cli("--pinned", str(tmp_path / "missing"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "is not a directory" in result.stderr
