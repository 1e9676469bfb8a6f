"""Generate ecrclient's model, faults, client methods and endpoint data from the pinned model.

Usage: ``python codegen/generate.py [--out DIR]`` (``DIR`` defaults to ``src/ecrclient``).

Data flow: :func:`codegen.loader.load_model` reads the botocore model files in ``codegen/model/``
(see ``codegen/model/SOURCE.md``) into a ``Model``; the emitters in ``codegen/emit/`` turn it
into source text (:func:`render` lists which emitter makes which file); :func:`generate` writes
the files and formats them with ruff. Every output file starts with
:data:`codegen.docstrings.HEADER`, so a regeneration from the same inputs gives byte-identical
files.

The generator owns ``model/`` and ``_generated/`` under ``DIR`` whole: it empties them first,
so a file it no longer makes goes away. Nothing else in the package is generated.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

# Run as a script (or imported by the tests with codegen/ on the path), the generator still
# imports its parts as the ``codegen`` package, as type checkers and linters see them.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from codegen.docstrings import HEADER
from codegen.emit import (
    boto_answers,
    compat,
    data,
    faults,
    models,
    operations,
    paginators,
    type_defs,
    waiters,
)
from codegen.loader import Model, load_model

ROOT = Path(__file__).resolve().parent.parent

OWNED_DIRS = ("model", "_generated")
"""The package directories the generator writes, whole."""


def render(model: Model) -> dict[str, str]:
    """Every generated file's text, by its path relative to the package directory."""
    files = {f"model/{name}": text for name, text in models.model_package(model).items()}
    files["_generated/__init__.py"] = (
        f'{HEADER}"""Generated from the pinned ECR model; private to ecrclient."""\n'
    )
    files["_generated/faults.py"] = faults.faults_source(model)
    files["_generated/operations.py"] = operations.operations_source(model)
    files["_generated/async_operations.py"] = operations.operations_source(model, is_async=True)
    files["_generated/paginators.py"] = paginators.paginators_source(model)
    files["_generated/waiters.py"] = waiters.waiters_source(model)
    files["_generated/compat_operations.py"] = compat.compat_operations_source(model)
    files["_generated/async_compat_operations.py"] = compat.compat_operations_source(
        model, is_async=True
    )
    for name, text in boto_answers.boto_answers_package(model).items():
        files[f"_generated/boto_answers/{name}"] = text
    files["_generated/botocore_model.py"] = data.botocore_model_source(model)
    files["_generated/type_defs.py"] = type_defs.type_defs_source(model)
    files["_generated/service.py"] = data.service_source(model)
    files["_generated/endpoint_data.py"] = data.endpoint_data_source(model)
    return files


def generate(out_dir: Path) -> list[Path]:
    """Write every generated file under ``out_dir`` (a package directory); returns their paths."""
    files = {out_dir / relative: text for relative, text in render(load_model()).items()}
    for owned in OWNED_DIRS:
        directory = out_dir / owned
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    paths = sorted(files)
    # The emitters may import more than a module uses, in no set order, and leave line breaks
    # to the formatter: ruff drops the unused imports, sorts the rest and formats every file,
    # with the project's configuration.
    ruff = [sys.executable, "-m", "ruff"]
    config = ["--config", str(ROOT / "pyproject.toml")]
    subprocess.run([*ruff, "check", "--fix-only", "--quiet", *config, *map(str, paths)], check=True)
    subprocess.run([*ruff, "format", "--quiet", *config, *map(str, paths)], check=True)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "ecrclient")
    args = parser.parse_args()
    paths = generate(args.out)
    print(f"generated {len(paths)} files under {args.out}")


if __name__ == "__main__":
    main()
