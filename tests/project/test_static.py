"""The package, the examples and the typing checks pass ``mypy --strict``, pyright's strict mode
and ruff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_mypy_strict_is_clean() -> None:
    result = _run("mypy")  # files and strictness come from pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    paths = ["src", "codegen", "tests", "examples", "noxfile.py"]
    check = _run("ruff", "check", *paths)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = _run("ruff", "format", "--check", *paths)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_pyright_strict_is_clean() -> None:
    """The package, the examples and the typing checks (paths and strictness come from
    pyrightconfig.json)."""
    result = _run("pyright")
    assert result.returncode == 0, result.stdout + result.stderr
