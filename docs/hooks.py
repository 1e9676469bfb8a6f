"""mkdocs hooks for this site (see ``hooks:`` in mkdocs.yml).

``<!-- benchmark-results -->`` in a page becomes the content of benchmarks/results/latest.md
(written by ``nox -s bench``) when that file exists, and a note saying how to produce it when
it does not: the results are machine-specific and not checked in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
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


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, benchmark_results())
    return markdown
