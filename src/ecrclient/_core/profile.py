"""Settings from the environment and the shared config file, read through botocore.

botocore's session is slow to import (~100 ms), so it is created only when a setting is not
given explicitly nor by an environment variable, and a profile could supply it: a profile was
named, or a config file exists.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any


class Profile:
    """Lazy access to one profile's settings and to the botocore session behind it."""

    def __init__(self, *, profile_name: str | None = None, botocore_session: Any = None) -> None:
        self.profile_name = profile_name
        self._session = botocore_session
        self._lock = threading.Lock()

    def session(self) -> Any:
        """The botocore session (created on first use)."""
        with self._lock:
            if self._session is None:
                import botocore.session

                self._session = botocore.session.Session(profile=self.profile_name)
            return self._session

    def _may_have_settings(self) -> bool:
        if self._session is not None or self.profile_name or os.environ.get("AWS_PROFILE"):
            return True
        config_file = os.environ.get("AWS_CONFIG_FILE") or "~/.aws/config"
        return Path(config_file).expanduser().is_file()

    def setting(self, name: str, env_name: str | None = None) -> Any:
        """An environment variable, else the profile's value of ``name``, else ``None``."""
        if env_name is not None:
            value = os.environ.get(env_name)
            if value:
                return value
        if not self._may_have_settings():
            return None
        # The profile's own value: get_config_variable would fill in botocore's defaults.
        return self.session().get_scoped_config().get(name)
