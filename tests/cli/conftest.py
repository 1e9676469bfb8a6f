"""Fixtures for the command-line tests (a package, so that this conftest does not take the
place of ``tests/conftest.py`` among the modules named ``conftest``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .ecr_stub import EcrStub
from .harness import Shell


@pytest.fixture
def stub() -> Iterator[EcrStub]:
    with EcrStub() as server:
        yield server


@pytest.fixture
def stub_shell(stub: EcrStub, tmp_path: Path) -> Shell:
    return Shell(tmp_path / "home", stub.url)


@pytest.fixture
def moto_shell(moto_endpoint: str, tmp_path: Path) -> Shell:
    return Shell(tmp_path / "home", moto_endpoint)
