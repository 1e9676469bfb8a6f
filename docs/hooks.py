"""mkdocs hooks for this site (see ``hooks:`` in mkdocs.yml).

``<!-- benchmark-results -->`` in a page becomes the content of benchmarks/results/latest.md
(written by ``nox -s bench``) when that file exists, and a note saying how to produce it when
it does not: the results are machine-specific and not checked in.

The footer of every page names the package version the site documents (``__version__`` of
src/ecrclient/_version.py, the version the distribution gets), and ``<!-- version -->`` in a
page becomes that version.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VERSION_FILE = ROOT / "src" / "ecrclient" / "_version.py"
VERSION_MARKER = "<!-- version -->"
RESULTS = ROOT / "benchmarks" / "results" / "latest.md"
MARKER = "<!-- benchmark-results -->"
MISSING = (
    '!!! note "No results on this build"\n'
    "    `benchmarks/results/latest.md` did not exist when this site was built. Run\n"
    "    `nox -s bench` and rebuild the docs to see the table here.\n"
)


def _shift_headings(text: str) -> str:
    """Push the included file's headings below the page's own ``##`` sections (not the lines
    of its code blocks)."""
    lines = []
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif line.startswith("#") and not fenced:
            line = "##" + line
        lines.append(line)
    return "\n".join(lines) + "\n"


def benchmark_results() -> str:
    if RESULTS.is_file():
        return _shift_headings(RESULTS.read_text(encoding="utf-8"))
    return MISSING


def package_version() -> str:
    """``__version__`` as src/ecrclient/_version.py assigns it, read without importing."""
    for node in ast.parse(VERSION_FILE.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(target, "id", None) for target in node.targets] == ["__version__"]
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value)
    raise RuntimeError(f"no __version__ = '...' in {VERSION_FILE}")


def on_config(config: Any, **kwargs: Any) -> Any:
    version = package_version()
    config["extra"]["version"] = version
    config["copyright"] = f"ecrclient {version} · Apache License 2.0"
    return config


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, benchmark_results())
    if VERSION_MARKER in markdown:
        markdown = markdown.replace(VERSION_MARKER, package_version())
    return markdown
