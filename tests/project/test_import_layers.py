"""Imports point one way: the boto3 skin and the testing kit -> the shells users import and the
façades -> the runtime, the transports and the settings -> the generated code -> the sans-IO
core. A module may import its own layer and the layers below it, never one above; imports made
only for type checkers (under ``if TYPE_CHECKING:``) do not count. The core imports nothing that
performs I/O, and there are no import cycles among the package's modules."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "ecrclient"

LAYERS: dict[str, int] = {
    "_core": 0,
    "_version": 0,
    "model": 1,
    "_generated": 1,
    "_runtime": 2,
    "_transports": 2,
    "_settings": 2,
    "sync_client": 3,
    "async_client": 3,
    "aio": 4,
    "__init__": 3,
    "errors": 3,
    "faults": 3,
    "type_defs": 3,
    "interceptors": 3,
    "metrics": 3,
    "paginators": 3,
    "waiters": 3,
    "compat": 4,
    "testing": 4,
    "transfer": 4,
    "login": 4,
    "cli": 4,
    "cleanup": 4,
    "scanning": 4,
    "serialization": 4,
    "otel": 4,
}
"""The layer of each top-level module or sub-package of ``ecrclient``."""

IO_MODULES = {
    "socket",
    "ssl",
    "asyncio",
    "subprocess",
    "httpx",
    "httpcore",
    "aiohttp",
    "urllib3",
    "requests",
    "botocore.session",
    "botocore.credentials",
    "botocore.configloader",
    "botocore.httpsession",
}
"""Modules the sans-IO core must not import: sockets, event loops, HTTP stacks, and botocore's
file and credential readers."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    if top not in LAYERS:
        raise AssertionError(f"{module}: add its layer to LAYERS")
    return LAYERS[top]


def _type_checking_only(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` (its body is for type checkers; an ``else`` runs, and so does the
    body of ``if not TYPE_CHECKING:``)."""
    return isinstance(node, ast.If) and ast.unparse(node.test) in (
        "TYPE_CHECKING",
        "typing.TYPE_CHECKING",
    )


def imports(path: Path, package: str | None = None) -> Iterator[tuple[int, str]]:
    """(line, absolute module) of every import in ``path`` that runs (at import time or in a
    function), resolving relative imports (against ``package``, by default the one ``path`` is
    in) and ``from ecrclient import x`` submodules."""
    tree = ast.parse(path.read_text())
    if package is None:
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if _type_checking_only(node):
            assert isinstance(node, ast.If)
            skipped |= {id(child) for part in node.body for child in ast.walk(part)}
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            if base == "ecrclient":  # "from ecrclient import x" imports submodule x, if any
                for alias in node.names:
                    if (PACKAGE / alias.name).is_dir() or (PACKAGE / f"{alias.name}.py").exists():
                        yield node.lineno, f"ecrclient.{alias.name}"


SOURCES = sorted(PACKAGE.rglob("*.py"))


def own_imports(path: Path) -> list[tuple[int, str]]:
    return [(line, name) for line, name in imports(path) if name.startswith("ecrclient.")]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_imports_point_down(path: Path) -> None:
    here = module_name(path)
    upward = [
        f"line {line}: {name} (layer {layer_of(name)})"
        for line, name in own_imports(path)
        if layer_of(name) > layer_of(here)
    ]
    assert not upward, f"{here} (layer {layer_of(here)}) imports upward: {upward}"


@pytest.mark.parametrize(
    "path", [p for p in SOURCES if module_name(p).startswith("ecrclient._core")], ids=module_name
)
def test_the_core_performs_no_io(path: Path) -> None:
    found = [
        f"line {line}: {name}"
        for line, name in imports(path)
        if any(name == io or name.startswith(io + ".") for io in IO_MODULES)
    ]
    assert not found, f"{module_name(path)} imports I/O modules: {found}"


def test_no_import_cycles() -> None:
    modules = {module_name(p): p for p in SOURCES}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for _, imported in imports(path):
            # "from ecrclient.x import y" names module x.y when x.y is a module, else x.
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name and not name.startswith(imported + "."):
                targets.add(imported)
        graph[name] = targets
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_check_catches_a_wrong_way_import(tmp_path: Path) -> None:
    """A core module importing the shell would be reported (the check is not vacuous)."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f():\n    from ecrclient.sync_client import ECRClient\n    return ECRClient\n"
    )
    names = [name for _, name in imports(bad, package="ecrclient._core")]
    assert names == ["ecrclient.sync_client"]
    assert layer_of("ecrclient.sync_client") > layer_of("ecrclient._core.pipeline")
