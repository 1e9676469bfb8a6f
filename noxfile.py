"""Developer tasks: ``nox -s tests lint typecheck codegen``."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (the same command CI runs)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff>=0.6")
    session.run("ruff", "check", "src", "codegen", "tests", "examples", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "codegen", "tests", "examples", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package and the examples."""
    session.install("-e", ".[test]")
    session.run("mypy")


@nox.session
def codegen(session: nox.Session) -> None:
    """Regenerate src/ecrclient's generated modules from codegen/model/."""
    session.install("-e", ".[test]")
    session.run("python", "codegen/generate.py")
