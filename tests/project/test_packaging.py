"""The distribution declares what the package imports, nothing it does not, and its license
files."""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "ecrclient"

NOT_IMPORTED = {
    # httpcore imports it on every async call and, without it, falls back slowly.
    "sniffio",
}
"""Dependencies declared for another package's sake, each with the reason."""


def _imported_modules() -> dict[str, set[str]]:
    """Top-level names of the modules the package imports, outside the standard library, and
    the files that import each."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "ecrclient" and top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _requirements() -> dict[str | None, set[str]]:
    """The declared distributions (normalized names), by extra (``None``: always)."""
    out: dict[str | None, set[str]] = {}
    for line in importlib.metadata.requires("ecrclient") or []:
        requirement = Requirement(line)
        marker = str(requirement.marker or "")
        extra = marker.split("extra == ")[1].strip("'\"") if "extra == " in marker else None
        name = requirement.name.lower().replace("_", "-")
        out.setdefault(extra, set()).add(name)
    return out


def _distributions(module: str) -> set[str]:
    """The distributions that provide ``module`` when installed; else its own name (an
    optional dependency, such as aiohttp, may be absent)."""
    names = importlib.metadata.packages_distributions().get(module) or [module]
    return {name.lower().replace("_", "-") for name in names}


def test_every_import_is_declared_and_every_dependency_imported() -> None:
    declared = _requirements()
    runtime = declared[None]
    optional = {"opentelemetry": declared["otel"]}  # ecrclient.otel
    undeclared = []
    used: set[str] = set()
    for module, files in sorted(_imported_modules().items()):
        distributions = _distributions(module)
        used |= distributions
        if not distributions & (runtime | optional.get(module, set())):
            undeclared.append(f"{module} ({', '.join(sorted(distributions))}): {sorted(files)}")
    assert undeclared == [], "imported but not declared in [project] dependencies"
    assert runtime - used - NOT_IMPORTED == set(), "declared but imported nowhere"
    assert runtime >= NOT_IMPORTED


def test_the_license_files_are_declared() -> None:
    metadata = importlib.metadata.metadata("ecrclient")
    assert metadata["License-Expression"] == "Apache-2.0"
    assert sorted(metadata.get_all("License-File") or []) == ["LICENSE", "NOTICE"]
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    for name in (
        "service-2.json",
        "paginators-1.json",
        "waiters-2.json",
        "endpoint-rule-set-1.json",
        "partitions.json",
    ):
        assert name in notice
        assert (ROOT / "codegen" / "model" / name).is_file()
