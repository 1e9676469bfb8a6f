"""Take ECR's model files from the installed botocore, then regenerate the code and the docs.

Usage: ``python codegen/update_model.py`` (``nox -s update-model`` installs the newest botocore
first, or the version given after ``--``).

It copies, unchanged but decompressed, ``botocore/data/ecr/2015-09-21/{service-2,
endpoint-rule-set-1,paginators-1,waiters-2}.json`` and ``botocore/data/partitions.json`` into
``codegen/model/``, rewrites ``codegen/model/SOURCE.md`` with the botocore version and what the
model holds, runs the generator and rewrites the API reference pages. The test extra's exact
pins of boto3/botocore must then be moved to the same version (``pyproject.toml``), so that the
tests compare against the botocore the model came from.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the codegen package is importable from the root

from codegen.drift import read_botocore_data  # noqa: E402

MODEL_DIR = ROOT / "codegen" / "model"
API_VERSION = "2015-09-21"
SERVICE_FILES = ("service-2", "endpoint-rule-set-1", "paginators-1", "waiters-2")


def summary(service: dict[str, Any], paginators: dict[str, Any], waiters: dict[str, Any]) -> str:
    errors = sum(1 for shape in service["shapes"].values() if shape.get("exception"))
    return (
        f"{len(service['operations'])} operations, {errors} modeled errors, "
        f"{len(paginators['pagination'])} paginators, {len(waiters['waiters'])} waiters"
    )


def source_md(version: str, counts: str) -> str:
    return f"""# Pinned model files

Copied unchanged (decompressed) from botocore {version} (`botocore/data/ecr/{API_VERSION}/` and
`botocore/data/partitions.json`): {counts}.

- `service-2.json` — API version {API_VERSION}
- `paginators-1.json`, `waiters-2.json`
- `endpoint-rule-set-1.json`, `partitions.json`

`codegen/generate.py` reads the botocore version from the first line above. To update:
`nox -s update-model` (the newest botocore) or `nox -s update-model -- 1.44.8` (a given one);
then pin boto3 and botocore to that version in the `test` extra of `pyproject.toml`.
"""


def copy_model(botocore_root: Path, dest: Path = MODEL_DIR) -> str:
    """Copy the model files from ``botocore_root`` (the botocore package directory) into
    ``dest`` and write ``SOURCE.md``; returns the one-line summary of what was copied."""
    from importlib.metadata import version

    data = botocore_root / "data"
    dest.mkdir(parents=True, exist_ok=True)
    loaded: dict[str, Any] = {}
    for stem in SERVICE_FILES:
        raw = read_botocore_data(data / "ecr" / API_VERSION, stem)
        loaded[stem] = json.loads(raw)
        (dest / f"{stem}.json").write_bytes(raw)
    (dest / "partitions.json").write_bytes(read_botocore_data(data, "partitions"))
    counts = summary(loaded["service-2"], loaded["paginators-1"], loaded["waiters-2"])
    (dest / "SOURCE.md").write_text(source_md(version("botocore"), counts))
    return counts


def main() -> None:
    import botocore

    counts = copy_model(Path(botocore.__file__).resolve().parent)
    print(f"codegen/model/: botocore {botocore.__version__}: {counts}")
    subprocess.run([sys.executable, str(ROOT / "codegen" / "generate.py")], check=True)
    subprocess.run([sys.executable, str(ROOT / "docs" / "gen_reference.py")], check=True)


if __name__ == "__main__":
    main()
