"""Credentials and region, resolved through botocore's provider chain.

Explicit keys are used as given. Otherwise botocore's chain runs once, on first use: environment,
shared credentials and config files (profiles, SSO, assume-role, credential_process), web
identity, container and instance metadata. Refreshable credentials stay refreshable: every
signature reads one frozen snapshot, so a refresh can never pair an old key with a new secret.

Keys that cannot be sent (a token read from a file with its newline, say) are refused with
``ConfigurationError`` before anything is signed: explicit and static keys when the client is
created, a provider's whenever it hands out keys that differ from the last ones checked.
"""

from __future__ import annotations

import os
import re
import threading
from typing import Any

from botocore.exceptions import (
    InvalidRegionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
)

from ecrclient._core.credentials import AwsCredentials, FrozenCredentials
from ecrclient._core.setting_checks import check_credentials
from ecrclient._settings.profile import Profile


class CredentialSource:
    """Hands out frozen credentials for each signature, resolving the chain lazily."""

    def __init__(
        self,
        *,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        session_token: str | None = None,
        provider: Any = None,
        profile: Profile,
    ) -> None:
        if (access_key_id is None) != (secret_access_key is None):
            missing = "aws_secret_access_key" if secret_access_key is None else "aws_access_key_id"
            raise PartialCredentialsError(provider="explicit", cred_var=missing)
        self._checked: FrozenCredentials | None = None
        """The last snapshot found sendable: a provider's keys are checked when they change."""
        if access_key_id is not None and secret_access_key is not None:
            provider = AwsCredentials(access_key_id, secret_access_key, session_token)
            self._checked = _checked(provider.get_frozen_credentials(), _EXPLICIT_NAMES)
        elif isinstance(provider, AwsCredentials):
            self._checked = _checked(provider.get_frozen_credentials(), _STATIC_NAMES)
        self._provider = provider
        self._profile = profile
        self._lock = threading.Lock()

    def may_block(self) -> bool:
        """Whether :meth:`frozen` may do I/O now: the chain has not run yet, or refreshable
        credentials are due for a refresh (instance metadata, SSO, assume-role...)."""
        provider = self._provider
        if provider is None:
            return True
        refresh_needed = getattr(provider, "refresh_needed", None)
        return bool(refresh_needed()) if callable(refresh_needed) else False

    def frozen(self) -> FrozenCredentials:
        provider = self._provider
        if provider is None:
            with self._lock:
                if self._provider is None:
                    self._provider = self._profile.session().get_credentials()
                    if self._provider is None:
                        raise NoCredentialsError()
                provider = self._provider
        snapshot = provider.get_frozen_credentials()
        frozen = FrozenCredentials(snapshot.access_key, snapshot.secret_key, snapshot.token)
        if frozen != self._checked:
            self._checked = _checked(frozen, _provider_names(provider))
        return frozen


_EXPLICIT_NAMES = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
_STATIC_NAMES = (
    "credentials.access_key_id",
    "credentials.secret_access_key",
    "credentials.session_token",
)


def _provider_names(provider: Any) -> tuple[str, str, str]:
    """How to name the keys a provider handed out: by botocore's ``method`` when it has one
    (``env``, ``shared-credentials-file``, ``assume-role``...)."""
    method = getattr(provider, "method", None)
    source = (
        f"the credential provider ({method})"
        if isinstance(method, str)
        else ("the credential provider")
    )
    return (
        f"the access key id from {source}",
        f"the secret access key from {source}",
        f"the session token from {source}",
    )


def _checked(credentials: FrozenCredentials, names: tuple[str, str, str]) -> FrozenCredentials:
    check_credentials(credentials, names=names)
    return credentials


def resolve_region(region_name: str | None, profile: Profile) -> str:
    """The explicit region, else ``AWS_REGION``, else botocore's region: ``AWS_DEFAULT_REGION``
    (set but empty, it hides the profile's and there is no region, as in botocore), else the
    profile's."""
    region = region_name or os.environ.get("AWS_REGION") or profile.botocore_value("region")
    if not region:
        raise NoRegionError()
    return checked_region(str(region))


_REGION = re.compile(r"(?![0-9]+$)(?!-)[a-zA-Z0-9-]{,63}(?<!-)")
"""A host label that is not all digits, as botocore requires of a region."""


def checked_region(region: str) -> str:
    """``region``, or ``InvalidRegionError`` (as botocore) when it cannot be part of a host
    name: a stray space or slash would otherwise surface only as a failed connection."""
    if not _REGION.fullmatch(region):
        raise InvalidRegionError(region_name=region)
    return region
