"""Mistakes the public types catch: each snippet below is a user's mistake, and mypy ``--strict``
and pyright's strict mode must both report it — on the marked line, with the expected error
code — with no ``# type: ignore`` anywhere. A clean snippet, checked the same way, must pass:
the errors come from the mistakes, not from the set-up.

The snippets are written to a temporary directory outside the project and checked as a user's
code is: ``ecrclient`` is the installed package (its ``py.typed`` in force), found through the
interpreter running the tests. (tests/typing/check_types.py holds the positive checks, with
``assert_type``.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest


class Mistake(NamedTuple):
    code: str
    """The snippet; the line ending in ``# <- here`` is where the error must be reported (or
    ``# <- mypy`` / ``# <- pyright`` where the two report it on different lines)."""
    mypy: str | None
    """mypy's error code; ``None`` where mypy does not check this kind of mistake."""
    pyright: str
    """pyright's rule."""


PRELUDE = """\
from __future__ import annotations

import ecrclient
import ecrclient.errors
import ecrclient.model
from ecrclient import ECRClient
from ecrclient.compat import ECRCompatClient
from ecrclient.compat.aio_client import AsyncECRCompatClient


"""

MISTAKES: dict[str, Mistake] = {
    "misspelt client class": Mistake(
        "def f() -> object:\n    return ecrclient.ECRClinet  # <- here\n",
        "attr-defined",
        "reportAttributeAccessIssue",
    ),
    "misspelt fault, imported": Mistake(
        "from ecrclient.errors import RepositoryNotFoundExcepton  # <- here\n"
        "print(RepositoryNotFoundExcepton)\n",
        "attr-defined",
        "reportAttributeAccessIssue",
    ),
    "misspelt fault, as an attribute": Mistake(
        "def f() -> object:\n    return ecrclient.errors.RepositoryNotFoundExcepton  # <- here\n",
        "attr-defined",
        "reportAttributeAccessIssue",
    ),
    "misspelt model class": Mistake(
        "def f() -> object:\n    return ecrclient.model.DescribeImagesReqest  # <- here\n",
        "attr-defined",
        "reportAttributeAccessIssue",
    ),
    "metadata checked for None that never is": Mistake(
        "def f(ecr: ECRClient) -> None:\n"
        "    metadata = ecr.describe_registry().response_metadata\n"
        "    if metadata is None:  # <- pyright\n"
        '        print("no metadata")  # <- mypy\n',
        "unreachable",  # mypy, with --warn-unreachable
        "reportUnnecessaryComparison",
    ),
    "misspelt paginator": Mistake(
        "def f(client: ECRCompatClient) -> None:\n"
        '    client.get_paginator("describe_imagse")  # <- here\n',
        "call-overload",
        "reportCallIssue",
    ),
    "misspelt waiter": Mistake(
        "def f(client: ECRCompatClient) -> None:\n"
        '    client.get_waiter("image_scan_completed")  # <- here\n',
        "call-overload",
        "reportCallIssue",
    ),
    "misspelt paginate parameter": Mistake(
        "def f(client: ECRCompatClient) -> None:\n"
        '    client.get_paginator("describe_images").paginate(repositoryNme="web")  # <- here\n',
        "call-arg",
        "reportCallIssue",
    ),
    "misspelt PaginationConfig key": Mistake(
        "def f(client: ECRCompatClient) -> None:\n"
        '    pages = client.get_paginator("list_images")\n'
        '    pages.paginate(repositoryName="web", PaginationConfig={"MaxItem": 5})  # <- here\n',
        "typeddict-unknown-key",
        "reportArgumentType",
    ),
    "a page key the service may omit, indexed": Mistake(
        "def f(client: ECRCompatClient) -> None:\n"
        '    for page in client.get_paginator("list_images").paginate(repositoryName="web"):\n'
        '        print(page["imageIds"])  # <- here\n',
        None,  # mypy lets a NotRequired key be indexed
        "reportTypedDictNotRequiredAccess",
    ),
    "missing waiter parameter": Mistake(
        "def f(client: ECRCompatClient) -> None:\n"
        '    client.get_waiter("image_scan_complete").wait(repositoryName="web")  # <- here\n',
        "call-arg",
        "reportCallIssue",
    ),
    "async pages iterated synchronously": Mistake(
        "def f(client: AsyncECRCompatClient) -> None:\n"
        '    pages = client.get_paginator("list_images").paginate(repositoryName="web")\n'
        "    for page in pages:  # <- here\n"
        "        print(page)\n",
        "attr-defined",
        "reportGeneralTypeIssues",
    ),
    "async waiter not awaited": Mistake(
        "async def f(client: AsyncECRCompatClient) -> None:\n"
        '    client.get_waiter("image_scan_complete").wait(  # <- here\n'
        '        repositoryName="web", imageId={"imageTag": "v1"}\n'
        "    )\n",
        "unused-coroutine",
        "reportUnusedCoroutine",
    ),
}

CLEAN = """\
async def clean(ecr: ECRClient, client: ECRCompatClient, aio: AsyncECRCompatClient) -> None:
    print(ecrclient.ECRClient, ecrclient.errors.RepositoryNotFoundException)
    print(ecrclient.model.DescribeImagesRequest)
    print(ecr.describe_registry().response_metadata.request_id)
    for page in client.get_paginator("list_images").paginate(
        repositoryName="web", PaginationConfig={"MaxItems": 5}
    ):
        print(page.get("imageIds", []))
    client.get_waiter("image_scan_complete").wait(repositoryName="web", imageId={"imageTag": "v1"})
    async for async_page in aio.get_paginator("describe_images").paginate(repositoryName="web"):
        print(async_page.get("imageDetails", []))
    await aio.get_waiter("image_scan_complete").wait(
        repositoryName="web", imageId={"imageTag": "v1"}, WaiterConfig={"Delay": 1}
    )
"""


def _file_name(title: str) -> str:
    return re.sub(r"\W+", "_", title).strip("_") + ".py"


@pytest.fixture(scope="module")
def checked(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, dict[str, list[tuple[int, str]]]]:
    """``{checker: {file name: [(line, code), ...]}}`` for the snippets and the clean file."""
    root = tmp_path_factory.mktemp("typing-mistakes")
    files = {_file_name(title): PRELUDE + mistake.code for title, mistake in MISTAKES.items()}
    files["clean.py"] = PRELUDE + CLEAN
    for name, text in files.items():
        assert "type: ignore" not in text
        (root / name).write_text(text)
    (root / "pyrightconfig.json").write_text(
        json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.10"})
    )
    names = sorted(files)
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--warn-unreachable",
            "--python-version",
            "3.10",
            "--cache-dir",
            str(root / ".mypy_cache"),
            "--no-error-summary",
            "--show-error-codes",
            *names,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    found: dict[str, dict[str, list[tuple[int, str]]]] = {"mypy": {}, "pyright": {}}
    for line in mypy.stdout.splitlines():
        match = re.match(r"(\S+\.py):(\d+): error: .*\[([\w-]+)\]$", line)
        if match:
            found["mypy"].setdefault(match[1], []).append((int(match[2]), match[3]))
    assert mypy.returncode in (0, 1), mypy.stdout + mypy.stderr
    pyright = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable, *names],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(pyright.stdout)
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            name = Path(diagnostic["file"]).name
            line = diagnostic["range"]["start"]["line"] + 1
            found["pyright"].setdefault(name, []).append((line, diagnostic.get("rule", "")))
    return found


def _marked_line(code: str, checker: str) -> int:
    lines = (PRELUDE + code).splitlines()
    marks = ("# <- here", f"# <- {checker}")
    return next(n for n, line in enumerate(lines, 1) if line.endswith(marks))


CHECKS = [
    (title, checker)
    for title, mistake in sorted(MISTAKES.items())
    for checker in ("mypy", "pyright")
    if getattr(mistake, checker) is not None
]


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_the_clean_snippet_passes(
    checked: dict[str, dict[str, list[tuple[int, str]]]], checker: str
) -> None:
    assert checked[checker].get("clean.py", []) == []


@pytest.mark.parametrize(("title", "checker"), CHECKS)
def test_the_mistake_is_reported(
    checked: dict[str, dict[str, list[tuple[int, str]]]], title: str, checker: str
) -> None:
    mistake = MISTAKES[title]
    expected = (_marked_line(mistake.code, checker), getattr(mistake, checker))
    reported = checked[checker].get(_file_name(title), [])
    assert expected in reported, f"{checker} reported {reported}, expected {expected}"
