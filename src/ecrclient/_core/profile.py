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
def _profiles(path: str, mtime: float) -> dict[str, dict[str, Any]]:
    from botocore import configloader
    from botocore.exceptions import ConfigNotFound

    untyped_loader: Any = configloader  # botocore ships no types
    try:
        profiles: dict[str, dict[str, Any]] = untyped_loader.load_config(path).get("profiles", {})
    except ConfigNotFound:  # not a regular file (/dev/null, a directory): no settings, as boto3
        return {}
    return profiles


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

    def _values(self) -> dict[str, Any]:
        if self._session is not None:
            scoped: dict[str, Any] = self._session.get_scoped_config()
            return scoped
        path = Path(os.environ.get("AWS_CONFIG_FILE") or "~/.aws/config").expanduser()
        try:
            mtime = path.stat().st_mtime
        except OSError:
            profiles: dict[str, dict[str, Any]] = {}
        else:
            profiles = _profiles(str(path), mtime)
        # A profile missing here may live in the credentials file; botocore's session reports
        # a profile found in neither when the credential chain runs.
        name = self.profile_name or os.environ.get("AWS_PROFILE") or "default"
        return profiles.get(name, {})

    def setting(self, name: str, env_name: str | None = None) -> Any:
        """An environment variable, else the profile's own value of ``name``, else ``None``."""
        if env_name is not None:
            value = os.environ.get(env_name)
            if value:
                return value
        return self._values().get(name)
