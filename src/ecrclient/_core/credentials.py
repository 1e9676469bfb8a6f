"""Credentials as the signer reads them: one frozen snapshot per signature, a static key pair,
and the protocol of whatever hands snapshots out (``_settings/credentials.py`` resolves them
through botocore's provider chain)."""

from __future__ import annotations

from typing import NamedTuple, Protocol

import attrs


class FrozenCredentials(NamedTuple):
    """One consistent snapshot of a key pair and token, shaped as botocore's
    ``ReadOnlyCredentials`` (which botocore's signer reads), without importing
    ``botocore.credentials`` (~180 ms) unless the provider chain is needed."""

    access_key: str
    secret_key: str
    token: str | None

    def __repr__(self) -> str:
        return f"FrozenCredentials(access_key={self.access_key!r}, secret_key=***, token=***)"


@attrs.frozen
class AwsCredentials:
    """A static access key pair, optionally with a session token; secrets stay out of ``repr``."""

    access_key_id: str
    secret_access_key: str = attrs.field(repr=False)
    session_token: str | None = attrs.field(default=None, repr=False)

    def get_frozen_credentials(self) -> FrozenCredentials:
        return FrozenCredentials(self.access_key_id, self.secret_access_key, self.session_token)


class CredentialProvider(Protocol):
    """Hands out a frozen snapshot for each signature."""

    def may_block(self) -> bool:
        """Whether :meth:`frozen` may do I/O now (the async client then calls it off the
        event loop)."""
        ...

    def frozen(self) -> FrozenCredentials: ...
