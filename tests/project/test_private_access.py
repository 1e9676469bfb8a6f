"""Nothing outside a package touches another package's underscored attributes: a module reads
``obj._name`` (``obj`` not ``self``, ``cls`` or ``super()``) only when ``_name`` is defined in its
own top-level package of ``ecrclient`` — or is one of the few names below, each for a reason."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "ecrclient"

SHARED = {
    # The generated shapes' wire protocol, declared in _core/wire.py (WireShape) and
    # _core/boto_reading.py: any layer may call it.
    "_to_wire": "the WireShape protocol",
    "_from_wire": "the WireShape protocol",
    "_to_boto": "the boto answers' protocol",
    # namedtuple's own API, underscored so as not to clash with field names.
    "_replace": "namedtuple API",
    "_asdict": "namedtuple API",
}

FOREIGN = {
    # Other projects' objects: the reason is documented where they are used.
    ("_core/signing.py", "_modify_request_before_signing"): "botocore's SigV4 steps",
    ("_core/signing.py", "_inject_signature_to_request"): "botocore's SigV4 steps",
    ("_core/signing.py", "_region_name"): "botocore's signer state",
    ("_core/signing.py", "_service_name"): "botocore's signer state",
    ("_core/signing.py", "_sign"): "botocore's signer",
    ("_transports/aiohttp_wire.py", "_close"): "aiohttp's connector, closed without awaiting",
}


def package_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def defined_names(tree: ast.AST) -> Iterator[str]:
    """The underscored names a module defines: functions, classes, attributes it assigns."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            yield node.attr
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            yield node.id


def private_reads(tree: ast.AST) -> Iterator[tuple[int, str, str]]:
    """(line, expression, name) of every ``obj._name`` read from another object."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        name = node.attr
        if not name.startswith("_") or name.startswith("__"):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
            continue
        if isinstance(owner, ast.Call) and ast.unparse(owner.func) == "super":
            continue
        yield node.lineno, ast.unparse(node), name


def violations(sources: dict[Path, ast.AST]) -> list[str]:
    defined: dict[str, set[str]] = {}
    for path, tree in sources.items():
        defined.setdefault(package_of(path), set()).update(defined_names(tree))
    found = []
    for path, tree in sources.items():
        package = package_of(path)
        if package in ("_generated", "model"):
            continue  # generated: checked by its generator's tests
        relative = path.relative_to(PACKAGE).as_posix()
        for line, expression, name in private_reads(tree):
            if name in defined[package] or name in SHARED or (relative, name) in FOREIGN:
                continue
            found.append(f"{relative}:{line}: {expression}")
    return found


def test_no_package_reads_another_packages_underscored_attributes() -> None:
    sources = {path: ast.parse(path.read_text()) for path in sorted(PACKAGE.rglob("*.py"))}
    assert violations(sources) == []


def test_the_check_catches_a_reach_into_another_package() -> None:
    """compat reading the typed client's pipeline would be reported (the check is not vacuous)."""
    sources = {
        PACKAGE / "_runtime" / "base_client.py": ast.parse("class C:\n    _pipeline = None\n"),
        PACKAGE / "compat" / "bad.py": ast.parse("def f(client):\n    return client._pipeline\n"),
    }
    assert violations(sources) == ["compat/bad.py:2: client._pipeline"]
