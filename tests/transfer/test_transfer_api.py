"""The public functions are published from one set of steps (``transfer._calls``): the sync
and async functions show the same parameters and docstring, each with its own client type, to
``inspect`` and to the docs build."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

import pytest

import ecrclient.transfer
from ecrclient.transfer import aio

ROOT = Path(__file__).resolve().parents[2]
NAMES = sorted(name for name in aio.__all__)


@pytest.mark.parametrize("name", NAMES)
def test_both_flavours_share_parameters_and_docstring(name: str) -> None:
    blocking = getattr(ecrclient.transfer, name)
    awaiting = getattr(aio, name)
    assert blocking.__module__ == "ecrclient.transfer" and awaiting.__module__ == aio.__name__
    assert not inspect.iscoroutinefunction(blocking) and inspect.iscoroutinefunction(awaiting)
    assert blocking.__doc__ and blocking.__doc__ == awaiting.__doc__
    sync_parameters = inspect.signature(blocking).parameters
    async_parameters = inspect.signature(awaiting).parameters
    assert list(sync_parameters) == list(async_parameters)
    for parameter in sync_parameters.values():
        twin = async_parameters[parameter.name]
        assert (parameter.kind, parameter.default) == (twin.kind, twin.default)
        if parameter.name.endswith("client"):
            assert (parameter.annotation, twin.annotation) == ("ECRClient", "AsyncECRClient")
        else:
            assert parameter.annotation == twin.annotation


def test_the_docs_render_published_functions_as_functions() -> None:
    griffe = pytest.importorskip("griffe")
    spec = importlib.util.spec_from_file_location(
        "docs_griffe_roles", ROOT / "docs" / "griffe_roles.py"
    )
    assert spec is not None and spec.loader is not None
    roles = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(roles)
    package = griffe.load(
        "ecrclient.transfer",
        search_paths=[str(ROOT / "src")],
        extensions=griffe.load_extensions(roles.PublishedSteps),
    )
    for module, client in ((package, "ECRClient"), (package["aio"], "AsyncECRClient")):
        copy_image = module["copy_image"]
        assert isinstance(copy_image, griffe.Function)
        annotations = {p.name: str(p.annotation) for p in copy_image.parameters}
        assert annotations["source_client"] == annotations["destination_client"] == client
        assert str(copy_image.returns) == "TransferredImage"
        assert copy_image.docstring is not None
        assert copy_image.docstring.value.startswith("Copy the image ``reference``")
    assert "async" in package["aio"]["retag"].labels
