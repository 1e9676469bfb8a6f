"""The fixtures of the transfer tests: a fresh local ECR registry server per test, and the
transfer API in both flavours behind one face (``kit``), so each behaviour is checked sync and
async. Test modules import the fixtures they use from here (tests/transfer has no conftest.py of
its own, so that no test module depends on which ``conftest`` was imported last); pytest knows
them by their fixture names (``registry``, ``kit``, ``twin``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from support.ecr_registry_server import EcrRegistryServer
from support.transfer_kits import PART_SIZE, REPOSITORY, AsyncKit, Kit, SyncKit


@pytest.fixture(name="registry")
def registry_fixture() -> Iterator[EcrRegistryServer]:
    with EcrRegistryServer(part_size=PART_SIZE, min_part_size=PART_SIZE) as server:
        server.create_repository(REPOSITORY)
        yield server


@pytest.fixture(name="kit", params=["sync", "async"])
def kit_fixture(registry: EcrRegistryServer, request: pytest.FixtureRequest) -> Iterator[Kit]:
    made: Kit = (
        SyncKit(registry.endpoint) if request.param == "sync" else AsyncKit(registry.endpoint)
    )
    try:
        yield made
    finally:
        made.close()


@pytest.fixture(name="twin")
def twin_fixture(kit: Kit) -> Iterator[Callable[[str], Kit]]:
    """Another kit of the same flavour, on another endpoint (another region's registry)."""
    made: list[Kit] = []

    def make(endpoint: str) -> Kit:
        if isinstance(kit, SyncKit):
            other: Kit = SyncKit(endpoint, region="eu-west-1")
        else:
            other = AsyncKit(endpoint, region="eu-west-1", loop=kit.loop)
            other._borrowed = True  # type: ignore[attr-defined]
        made.append(other)
        return other

    yield make
    for other in made:
        other.close()
