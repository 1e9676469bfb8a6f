"""Settings from the environment and the shared config file.

Plain settings (region, retry mode, max attempts) are read with botocore's config-file parser,
cached per file and modification time, so creating a client costs no botocore session. The
session (slow to create) is made only when the credential chain must run.
"""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path
from typing import Any


@functools.lru_cache(maxsize=8)
def _config_file(path: str, mtime: float) -> dict[str, Any]:
    """The whole file as botocore reads it: ``profiles``, ``services`` and other sections."""
    from botocore import configloader
    from botocore.exceptions import ConfigNotFound

    untyped_loader: Any = configloader  # botocore ships no types
    try:
        sections: dict[str, Any] = untyped_loader.load_config(path)
    except ConfigNotFound:  # not a regular file (/dev/null, a directory): no settings, as boto3
        return {}
    return sections


class Profile:
    """Lazy access to one profile's settings and to the botocore session behind it."""

    def __init__(self, *, profile_name: str | None = None, botocore_session: Any = None) -> None:
        self.profile_name = profile_name
        self._session: Any = botocore_session
        self._lock = threading.Lock()

    def session(self) -> Any:
        """The botocore session (created on first use)."""
        with self._lock:
            if self._session is None:
                import botocore.session

                self._session = botocore.session.Session(profile=self.profile_name)
            return self._session

    def _sections(self) -> dict[str, Any]:
        if self._session is not None:
            full: dict[str, Any] = self._session.full_config
            return full
        path = Path(os.environ.get("AWS_CONFIG_FILE") or "~/.aws/config").expanduser()
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return {}
        return _config_file(str(path), mtime)

    def _values(self) -> dict[str, Any]:
        if self._session is not None:
            scoped: dict[str, Any] = self._session.get_scoped_config()
            return scoped
        # A profile missing here may live in the credentials file; botocore's session reports
        # a profile found in neither when the credential chain runs.
        name = self.profile_name or os.environ.get("AWS_PROFILE") or "default"
        profiles: dict[str, dict[str, Any]] = self._sections().get("profiles", {})
        return profiles.get(name, {})

    def services_section(self) -> dict[str, Any] | None:
        """The ``[services ...]`` section the profile names, ``{}`` when it names none, or
        ``None`` when the named section does not exist."""
        name = self._values().get("services")
        if not name:
            return {}
        section: dict[str, Any] | None = self._sections().get("services", {}).get(name)
        return section or None

    def flag(self, name: str, env_name: str) -> bool:
        """A boolean setting, true only when spelled ``true`` (any case), as botocore reads
        ``use_fips_endpoint`` and its kin."""
        value = self.setting(name, env_name)
        return value is True or (isinstance(value, str) and value.lower() == "true")

    def setting(self, name: str, env_name: str | None = None) -> Any:
        """An environment variable, else the profile's own value of ``name``, else ``None``."""
        if env_name is not None:
            value = os.environ.get(env_name)
            if value:
                return value
        return self._values().get(name)
