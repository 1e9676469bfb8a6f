"""Settings from the environment and the shared config and credentials files.

Plain settings (region, retry mode, max attempts) are read with botocore's config-file parser,
cached per file and modification time, so creating a client costs no botocore session. The
session (slow to create) is made only when the credential chain must run.

Where botocore has a default for a setting, the value comes from botocore's own config chain
(:meth:`Profile.botocore_value`): its table of session variables names the environment
variables, the profile key, the default and the conversion, so the values follow the botocore
installed (``retry_mode`` defaults to ``legacy`` before botocore 1.44 and ``standard`` since).
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


@functools.lru_cache(maxsize=8)
def _credentials_file(path: str, mtime: float) -> dict[str, dict[str, Any]]:
    """The credentials file's profiles as botocore reads them (plain sections)."""
    from botocore import configloader
    from botocore.exceptions import ConfigNotFound

    untyped_loader: Any = configloader
    try:
        profiles: dict[str, dict[str, Any]] = untyped_loader.raw_config_parse(path)
    except ConfigNotFound:
        return {}
    return profiles


def _modified(path: str) -> float | None:
    try:
        return Path(path).expanduser().stat().st_mtime
    except OSError:
        return None


@functools.cache
def _session_variables() -> dict[str, tuple[Any, Any, Any, Any]]:
    """botocore's table of session variables: name -> (profile key, environment variables,
    default, conversion)."""
    from botocore import configprovider

    untyped: Any = configprovider
    table: dict[str, tuple[Any, Any, Any, Any]] = untyped.BOTOCORE_DEFAUT_SESSION_VARIABLES
    return table


class Profile:
    """Lazy access to one profile's settings and to the botocore session behind it.

    The files are read once per instance (a client reads them once when it is created), as a
    botocore session reads them once.
    """

    def __init__(self, *, profile_name: str | None = None, botocore_session: Any = None) -> None:
        self.profile_name = profile_name
        self._session: Any = botocore_session
        self._lock = threading.Lock()
        self._full: dict[str, Any] | None = None

    def session(self) -> Any:
        """The botocore session (created on first use)."""
        with self._lock:
            if self._session is None:
                import botocore.session

                self._session = botocore.session.Session(profile=self.profile_name)
            return self._session

    @property
    def name(self) -> str | None:
        """The profile in force: the one given, else ``AWS_DEFAULT_PROFILE`` / ``AWS_PROFILE``
        (in botocore's order; one set but empty counts, naming a profile that does not exist),
        else ``None`` for the default profile."""
        named: str | None = self.botocore_value("profile")
        return named

    def _sections(self) -> dict[str, Any]:
        """The config file with the credentials file's profiles merged in, as botocore's
        ``Session.full_config``."""
        if self._session is not None:
            full: dict[str, Any] = self._session.full_config
            return full
        if self._full is None:
            self._full = self._read_files()
        return self._full

    def _read_files(self) -> dict[str, Any]:
        config_path = self._file_path("config_file")
        mtime = _modified(config_path)
        config = _config_file(config_path, mtime) if mtime is not None else {}
        full = {**config, "profiles": dict(config.get("profiles", {}))}
        credentials_path = self._file_path("credentials_file")
        mtime = _modified(credentials_path)
        if mtime is not None:
            profiles = full["profiles"]
            for name, values in _credentials_file(credentials_path, mtime).items():
                profiles[name] = {**profiles.get(name, {}), **values}
        return full

    def _file_path(self, variable: str) -> str:
        """The file's path; a variable set but empty names no file (botocore then reads none),
        not the default one in ``~/.aws``."""
        return str(Path(self.botocore_value(variable)).expanduser())

    def _values(self) -> dict[str, Any]:
        if self._session is not None:
            scoped: dict[str, Any] = self._session.get_scoped_config()
            return scoped
        name = self.name
        profiles: dict[str, dict[str, Any]] = self._sections().get("profiles", {})
        if name is None:
            return profiles.get("default", {})
        if name not in profiles:
            from botocore.exceptions import ProfileNotFound

            raise ProfileNotFound(profile=name)  # as botocore: a named profile must exist
        return profiles[name]

    # botocore's config chain reads a session through these two methods.
    def get_scoped_config(self) -> dict[str, Any]:
        return self._values()

    def instance_variables(self) -> dict[str, Any]:
        return {"profile": self.profile_name} if self.profile_name is not None else {}

    def botocore_value(self, name: str) -> Any:
        """The session variable ``name`` resolved by botocore's own chain: the environment,
        the profile, then botocore's default, converted as botocore converts it."""
        if self._session is not None:
            return self._session.get_config_variable(name)
        from botocore import configprovider

        untyped: Any = configprovider
        profile_key, env_names, default, conversion = _session_variables()[name]
        chain = untyped.ConfigChainFactory(session=self).create_config_chain(
            instance_name=name,
            env_var_names=env_names,
            config_property_names=profile_key,
            default=default,
            conversion_func=conversion,
        )
        return chain.provide()

    def services_section(self) -> dict[str, Any] | None:
        """The ``[services ...]`` section the profile names, ``{}`` when it names none, or
        ``None`` when the named section does not exist (``services =`` left empty names one
        that does not, as botocore reads it)."""
        name = self._values().get("services")
        if name is None:
            return {}
        section: dict[str, Any] | None = self._sections().get("services", {}).get(name)
        return section or None

    def flag(self, name: str, env_name: str) -> bool:
        """A boolean setting, true only when spelled ``true`` (any case), as botocore reads
        ``use_fips_endpoint`` and its kin."""
        value = self.setting(name, env_name)
        return value is True or (isinstance(value, str) and value.lower() == "true")

    def setting(self, name: str, env_name: str | None = None) -> Any:
        """An environment variable, else the profile's own value of ``name``, else ``None``.

        A variable set but empty is the value, as in botocore's chain: it hides the profile's
        (an empty ``AWS_USE_FIPS_ENDPOINT`` is false, an empty ``AWS_CA_BUNDLE`` is refused)."""
        if env_name is not None:
            value = os.environ.get(env_name)
            if value is not None:
                return value
        return self._values().get(name)
