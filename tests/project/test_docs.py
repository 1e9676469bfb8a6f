"""The documentation site: it builds with ``mkdocs build --strict``, its generated API reference
is up to date, and every Python example in docs/ and README.md runs.

How examples run (the convention the docs state in docs/testing.md):

* Every fenced block whose language is ``python`` (or ``py``) is an example. Each runs alone,
  as a script (``python example.py``) in a fresh process and an empty temporary directory,
  against the session's moto server (the ``moto_endpoint`` fixture). The environment is the
  one an AWS user has, pointed at moto: ``AWS_ENDPOINT_URL_ECR``, ``AWS_DEFAULT_REGION``,
  fake ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``, and empty AWS config and
  credentials files, so examples are written exactly as users write them
  (``ECRClient(region_name="us-east-1")``). A block fails on a non-zero exit.
* Blocks that are not meant to run use another language: ``console`` for shell commands,
  ``text`` for output, ``toml``/``yaml``/``ini``/``json`` for files. In docs/ every fence
  must name its language.
* An example must delete the repositories it creates: the test lists them before and after.
* An example must never print an authorization token: the test checks its output for moto's.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README = ROOT / "README.md"

EXECUTED = frozenset({"python", "py"})
NOT_EXECUTED = frozenset({"console", "text", "toml", "yaml", "ini", "json"})
EXAMPLE_TIMEOUT = 120
BUILD_TIMEOUT = 900
DOCS_PACKAGES = {
    "mkdocs": "mkdocs",
    "material": "mkdocs-material",
    "mkdocstrings": "mkdocstrings",
    "mkdocstrings_handlers.python": "mkdocstrings[python]",
}

# README examples that fail because of the README itself (src/ is right). README.md is not
# this suite's to edit, so each is an expected failure, strict: a fixed README turns it into
# an unexpected pass, which fails until its entry is removed. Key: a whole line of the block
# (stripped); value:
# text the failure must show (an exception name, or "left repositories behind"), and why.
README_KNOWN_FAILURES: dict[str, tuple[str, str]] = {}


@dataclass(frozen=True)
class Fence:
    path: Path
    line: int
    """1-based line of the opening fence."""
    language: str
    code: str

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")


def fences(path: Path) -> Iterator[Fence]:
    """The fenced code blocks of a Markdown file (indented ones too, e.g. in admonitions)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        match = _OPEN.match(lines[index])
        if match is None:
            index += 1
            continue
        indent, fence = match.group("indent"), match.group("fence")
        info = match.group("info").strip()
        language = info.split()[0].lstrip(".").lower() if info else ""
        body: list[str] = []
        end = index + 1
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        while end < len(lines) and not closing.match(lines[end]):
            line = lines[end]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            end += 1
        yield Fence(path, index + 1, language, "\n".join(body) + "\n")
        index = end + 1


def doc_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def examples() -> list[Fence]:
    found = [fence for page in doc_pages() for fence in fences(page)]
    found += list(fences(README))
    return [fence for fence in found if fence.language in EXECUTED]


EXAMPLES = examples()


# -- the site ------------------------------------------------------------------------------


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _require_docs_packages() -> None:
    """Fail, never skip, without the docs toolchain: CI must build the site."""
    missing = [package for module, package in DOCS_PACKAGES.items() if not _importable(module)]
    if missing:
        pytest.fail(
            f"the docs toolchain is not installed (missing: {', '.join(missing)}); install "
            'the docs extra: python -m pip install -e ".[docs]"',
            pytrace=False,
        )


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    """No broken link, no missing reference, no warning of any kind."""
    _require_docs_packages()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "reference" / "faults" / "index.html").is_file()


def test_reference_pages_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(DOCS / "gen_reference.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_reference_covers_every_operation_and_fault() -> None:
    from ecrclient._generated.service import OPERATION_MODULES
    from ecrclient.faults import FAULTS

    assert len(OPERATION_MODULES) == 62 and len(FAULTS) == 50
    pages = {path.stem for path in (DOCS / "reference" / "model").glob("*.md")}
    assert set(OPERATION_MODULES.values()) <= pages
    faults_page = (DOCS / "reference" / "faults.md").read_text(encoding="utf-8")
    for name in FAULTS:
        assert f"[`{name}`][ecrclient.faults.{name}]" in faults_page


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"docs_{name}", DOCS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_results_are_included_when_present(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks = _load("hooks")
    page = "# Performance\n\n## Results\n\n<!-- benchmark-results -->\n"
    monkeypatch.setattr(hooks, "RESULTS", tmp_path / "latest.md")
    assert "nox -s bench" in hooks.on_page_markdown(page)
    (tmp_path / "latest.md").write_text(
        "# Results\n\n| op | ms |\n| --- | --- |\n| a | 1 |\n\n```\n# not a heading\n```\n"
    )
    rendered = hooks.on_page_markdown(page)
    assert "| a | 1 |" in rendered and "### Results" in rendered
    assert "\n# not a heading\n" in rendered
    assert hooks.MARKER not in rendered


def test_the_site_shows_the_package_version() -> None:
    import ecrclient

    hooks = _load("hooks")
    assert hooks.package_version() == ecrclient.__version__
    config: dict[str, Any] = {"extra": {}, "copyright": None}
    hooks.on_config(config)
    assert config["extra"]["version"] == ecrclient.__version__
    assert f"ecrclient {ecrclient.__version__}" in config["copyright"]
    page = hooks.on_page_markdown("Version <!-- version -->.\n")
    assert page == f"Version {ecrclient.__version__}.\n"


def test_method_aliases_render_as_methods(tmp_path: Path) -> None:
    _require_docs_packages()
    import griffe

    roles = _load("griffe_roles")
    source = tmp_path / "aliased.py"
    source.write_text(
        "class Client:\n"
        "    def close(self, wait: bool = True) -> None:\n"
        '        """Release the pool."""\n'
        "\n"
        "    shutdown = close\n"
        '    """The Java name for :meth:`close`."""\n'
        "    retries = 3\n"
        '    """Not an alias."""\n',
        encoding="utf-8",
    )
    module = griffe.load(
        "aliased",
        search_paths=[str(tmp_path)],
        extensions=griffe.load_extensions(roles.ReSTRoles, roles.MethodAliases),
    )
    cls = module["Client"]
    shutdown = cls.members["shutdown"]
    assert isinstance(shutdown, griffe.Function)
    assert [p.name for p in shutdown.parameters] == ["self", "wait"]
    assert shutdown.docstring is not None
    assert shutdown.docstring.value == "The Java name for `close`."
    assert isinstance(cls.members["retries"], griffe.Attribute)


def test_rest_roles_become_code_spans() -> None:
    _require_docs_packages()
    roles = _load("griffe_roles")
    text = "See :class:`~ecrclient._core.waiting.WaiterError` and :meth:`close`::\n\n    x = 1\n"
    assert roles.markdown(text) == "See `WaiterError` and `close`:\n\n    x = 1\n"
    raises = "Does it.\n\nRaises:\n    ServerException\n    Mystery"
    assert roles.markdown(raises, frozenset({"ServerException"})) == (
        "Does it.\n\nRaises:\n\n- [`ServerException`][ecrclient.faults.ServerException]\n"
        "- `Mystery`\n"
    )


# -- the examples --------------------------------------------------------------------------


def test_every_fence_in_docs_names_its_language() -> None:
    unlabeled = [
        fence.name
        for page in doc_pages()
        for fence in fences(page)
        if fence.language not in EXECUTED | NOT_EXECUTED
    ]
    assert unlabeled == [], "label each fence python (runs) or one of " + ", ".join(
        sorted(NOT_EXECUTED)
    )


def test_the_docs_have_examples() -> None:
    # A broken fence parser would otherwise pass every example test by finding none.
    in_docs = [fence for fence in EXAMPLES if fence.path != README]
    assert len(in_docs) >= 30
    assert sum(fence.path == README for fence in EXAMPLES) >= 2


@pytest.fixture(scope="module")
def moto_admin(moto_endpoint: str) -> Any:
    """A boto3 client on the moto server, to check what the examples leave behind."""
    import boto3

    client = boto3.client(
        "ecr",
        region_name="us-east-1",
        endpoint_url=moto_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    yield client
    client.close()


def _repositories(admin: Any) -> set[str]:
    pages = admin.get_paginator("describe_repositories").paginate()
    return {repo["repositoryName"] for page in pages for repo in page["repositories"]}


def _secrets(admin: Any) -> list[str]:
    """moto's authorization token, and the docker password inside it."""
    token = admin.get_authorization_token()["authorizationData"][0]["authorizationToken"]
    password = base64.b64decode(token).decode().split(":", 1)[1]
    return [token, password]


def _example_env(moto_endpoint: str, home: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    empty = home / "empty-aws-file"
    empty.touch()
    env.update(
        AWS_ENDPOINT_URL_ECR=moto_endpoint,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=str(empty),
        AWS_SHARED_CREDENTIALS_FILE=str(empty),
        AWS_EC2_METADATA_DISABLED="true",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _known_failure(fence: Fence) -> tuple[str, str] | None:
    if fence.path != README:
        return None
    lines = {line.strip() for line in fence.code.splitlines()}
    for line, failure in README_KNOWN_FAILURES.items():
        if line in lines:
            return failure
    return None


@pytest.mark.parametrize("fence", EXAMPLES, ids=[fence.name for fence in EXAMPLES])
def test_example_runs(fence: Fence, moto_endpoint: str, moto_admin: Any, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(fence.code, encoding="utf-8")
    before = _repositories(moto_admin)
    try:
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=tmp_path,
            env=_example_env(moto_endpoint, tmp_path),
            capture_output=True,
            text=True,
            timeout=EXAMPLE_TIMEOUT,
            check=False,
        )
    finally:
        leaked = _repositories(moto_admin) - before
        for name in leaked:
            moto_admin.delete_repository(repositoryName=name, force=True)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        failure = f"{fence.name} failed:\n{output}"
    elif leaked:
        failure = f"{fence.name} left repositories behind: {sorted(leaked)}"
    elif any(secret in output for secret in _secrets(moto_admin)):
        failure = f"{fence.name} printed an authorization token"
    else:
        failure = ""
    known = _known_failure(fence)
    if known is not None:
        expected, reason = known
        if not failure:
            pytest.fail(f"{fence.name} now runs: remove it from README_KNOWN_FAILURES")
        assert expected in failure, failure
        pytest.xfail(f"README bug: {reason}")
    assert not failure, failure
