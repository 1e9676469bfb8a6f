"""The packages that load their public names on first use: ``dir()`` lists them loaded or not,
each resolves (and is then kept), an unknown name is an ``AttributeError``, and importing the
package imports none of the modules behind it."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

PACKAGES = ["ecrclient.login", "ecrclient.cleanup", "ecrclient.scanning"]


@pytest.mark.parametrize("name", PACKAGES)
def test_public_names_load_on_first_use(name: str) -> None:
    package = importlib.import_module(name)
    assert set(package.__all__) <= set(dir(package))
    for public in package.__all__:
        value = getattr(package, public)
        assert vars(package)[public] is value
    with pytest.raises(AttributeError, match=f"module '{name}' has no attribute 'Nope'"):
        package.Nope  # noqa: B018


@pytest.mark.parametrize("name", PACKAGES)
def test_importing_the_package_imports_nothing_behind_it(name: str) -> None:
    code = (
        f"import sys, {name}\n"
        f"loaded = sorted(m for m in sys.modules if m.startswith('{name}.'))\n"
        "assert loaded == [], loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
