"""Content digests: the ``sha256:<hex>`` names that ECR and the OCI image layout give blobs and
manifests.

ECR computes and accepts only SHA-256 digests, so that is the one algorithm supported; a digest
in another algorithm is refused up front rather than failing deep inside a transfer. Digests are
also turned into file names under ``blobs/sha256/``, which is why their form is checked strictly
here: a crafted ``index.json`` must never name a path outside the layout.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

ALGORITHM = "sha256"
_SHA256 = re.compile(r"sha256:[0-9a-f]{64}")


def is_digest(text: str) -> bool:
    """Whether ``text`` is a well-formed SHA-256 digest (``sha256:`` and 64 lower-case hex)."""
    return _SHA256.fullmatch(text) is not None


def hex_part(digest: str) -> str:
    """The hex half of ``digest``; ``ValueError`` for anything but a well-formed SHA-256 one."""
    if not is_digest(digest):
        algorithm = digest.split(":", 1)[0] if ":" in digest else ""
        if algorithm and algorithm != ALGORITHM:
            raise ValueError(
                f"unsupported digest algorithm {algorithm!r} in {digest!r}: ECR uses sha256"
            )
        raise ValueError(f"not a sha256 digest: {digest!r} (expected 'sha256:' and 64 hex digits)")
    return digest[len(ALGORITHM) + 1 :]


class Hasher(Protocol):
    """What the transfers need of a running hash: feed it, fork it, read it."""

    def update(self, data: bytes | bytearray, /) -> None: ...
    def copy(self) -> Hasher: ...
    def hexdigest(self) -> str: ...


def digest_of(data: bytes) -> str:
    """The digest of ``data``."""
    return f"{ALGORITHM}:{hashlib.sha256(data).hexdigest()}"


def new_hasher() -> Hasher:
    """An empty running SHA-256, fed as bytes go by."""
    return hashlib.sha256()


def digest_from(hasher: Hasher) -> str:
    """The digest a running hasher stands at (the hasher stays usable)."""
    return f"{ALGORITHM}:{hasher.hexdigest()}"
