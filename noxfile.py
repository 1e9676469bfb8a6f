"""Developer tasks: ``nox -s tests lint typecheck codegen``; ``nox -s fuzz`` for a long fuzz."""

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
    """mypy --strict and pyright (strict) on the package, the examples and the typing checks."""
    session.install("-e", ".[test]")
    session.run("mypy")
    session.run("pyright")


@nox.session
def codegen(session: nox.Session) -> None:
    """Regenerate src/ecrclient's generated modules from codegen/model/."""
    session.install("-e", ".[test]")
    session.run("python", "codegen/generate.py")


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site: the API reference pages are current, and
    ``mkdocs build --strict`` passes (into site/, or the directory given after ``--``)."""
    session.install("-e", ".", "mkdocs>=1.6", "mkdocs-material>=9.5", "mkdocstrings[python]>=1.0")
    session.run("python", "docs/gen_reference.py", "--check")
    site = session.posargs[0] if session.posargs else "site"
    session.run("mkdocs", "build", "--strict", "--site-dir", site, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def fuzz(session: nox.Session) -> None:
    """The hostile-answers fuzz test at length: ``nox -s fuzz -- --answers 10000`` feeds that
    many answers to the parsers and to each client kind (the suite's run draws a few hundred);
    ``--seed N`` draws other answers. Other arguments go to pytest."""
    session.install("-e", ".[test]")
    args = list(session.posargs)
    env = {"ECRCLIENT_FUZZ_ANSWERS": "10000"}
    for option, variable in (
        ("--answers", "ECRCLIENT_FUZZ_ANSWERS"),
        ("--seed", "ECRCLIENT_FUZZ_SEED"),
    ):
        if option in args:
            at = args.index(option)
            env[variable] = args[at + 1]
            del args[at : at + 2]
    session.run(
        "python", "-m", "pytest", "tests/unit/test_hostile_answers.py", "-q", "-s", *args, env=env
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against boto3 and aiobotocore in their own virtualenv (see
    benchmarks/README.md): ``nox -s bench``, ``nox -s bench -- --quick`` for a smoke run, and
    ``nox -s bench -- profile [options]`` for benchmarks/profile_call.py."""
    # aiobotocore pins botocore: listed before boto3, pip settles on a boto3 that fits it.
    session.install("-e", ".", "aiobotocore", "boto3", "pyinstrument")
    if session.posargs[:1] == ["profile"]:
        session.run("python", "benchmarks/profile_call.py", *session.posargs[1:])
    else:
        session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session(name="update-model")
def update_model(session: nox.Session) -> None:
    """Copy ECR's model files from the newest botocore (``nox -s update-model``) or a given one
    (``nox -s update-model -- 1.44.8``) into codegen/model/, then regenerate the code and the API
    reference pages. Afterwards move the boto3 and botocore pins in the ``test`` extra of
    pyproject.toml to that version, so the tests compare against the botocore the model came
    from."""
    session.install("-e", ".[test]")
    if session.posargs:
        session.install(f"botocore=={session.posargs[0]}")
    else:
        session.install("--upgrade", "botocore")
    session.run("python", "codegen/update_model.py")


@nox.session(name="model-drift")
def model_drift(session: nox.Session) -> None:
    """Compare the pinned model (codegen/model/) with the ECR model of the newest botocore
    (``nox -s model-drift``) or of a given version (``nox -s model-drift -- 1.43.11``); arguments
    after the version go to codegen/drift.py. Prints what changed, grouped by kind, and what
    regenerating would change on the typed and drop-in clients; fails when the models differ
    (documentation aside)."""
    args = list(session.posargs)
    if args and not args[0].startswith("-"):
        session.install(f"botocore=={args.pop(0)}")
    else:
        session.install("--upgrade", "botocore")
    session.run("python", "codegen/drift.py", *args)
