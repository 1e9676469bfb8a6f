"""A file cache of docker credentials, shared by every process of one user.

Where: ``$ECRCLIENT_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/ecrclient``, else
``~/.cache/ecrclient``; the tokens live in its ``docker-tokens`` folder, one file per
:class:`CacheKey` (account, region, profile, endpoint override, and a checksum of an access key
id taken from the environment, so that switching keys never reuses another principal's token).

Trust: the folder is made ``0700`` and every file ``0600``. A file is read only if it is a
regular file (symbolic links are not followed), owned by this user, unreadable to group and
others, small, valid JSON of the expected shape, and stored under the key asked for. Anything
else is ignored as if absent, and replaced by the next write. A folder owned by someone else,
or that is a symbolic link, turns the cache off.

Concurrency: readers need no lock, because writers never change a file in place — they write a
temporary file in the same folder and ``os.replace`` it over the old one, so a reader sees the
old file or the new one, whole. Writers of one key take an exclusive ``fcntl.flock`` on a lock
file beside it; the credential drivers hold it across "read again, fetch if still missing,
write", so processes that miss at the same moment make one ``GetAuthorizationToken`` call
between them.

Secrets: the password is in the files (as docker's own ``config.json`` would hold it) and
nowhere else — no log line, ``repr`` or error message of this module carries it.

Start-up: the credential helper reads this cache on every ``docker pull``, so the module imports
only cheap standard modules. ``logging``, ``tempfile`` and ``pathlib`` are imported when first
needed (a log line is only ever wanted when something has configured logging, i.e. imported
it), and file names are a CRC-32 of the key rather than a cryptographic digest: the key is
stored in the file and checked on every read, so a collision could only cost a miss.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import sys
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from ecrclient.login.tokens import DockerCredentials, refresh_due

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "CACHE_DIR_ENV",
    "CacheKey",
    "CacheLock",
    "TokenCache",
    "default_cache_directory",
    "iter_fresh",
]

CACHE_DIR_ENV = "ECRCLIENT_CACHE_DIR"
"""Names the cache folder itself (tests and sandboxes point it at a temporary folder)."""
FORMAT_VERSION = 1
MAX_FILE_BYTES = 64 * 1024
LOCK_POLL_SECONDS = 0.02
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS = os.O_RDONLY | _NO_FOLLOW
_LOCK_FLAGS = os.O_RDWR | os.O_CREAT | _NO_FOLLOW
_KEY_FIELDS = ("account_id", "region", "profile", "endpoint", "principal")

if sys.platform != "win32":
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _owned_by_me(info: os.stat_result) -> bool:
        return info.st_uid == os.geteuid()

else:  # no flock or owners: processes may race to fetch, and each still writes atomically

    def _try_lock(fd: int) -> bool:
        return True

    def _unlock(fd: int) -> None:
        pass

    def _owned_by_me(info: os.stat_result) -> bool:
        return True


def _debug(message: str, *args: object) -> None:
    """Log at DEBUG, without importing ``logging`` when nothing has set logging up."""
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.getLogger("ecrclient.login.cache").debug(message, *args)


def default_cache_directory(environ: Mapping[str, str] | None = None) -> str:
    """``$ECRCLIENT_CACHE_DIR``, else ``$XDG_CACHE_HOME/ecrclient``, else ``~/.cache/ecrclient``.

    A relative ``XDG_CACHE_HOME`` is ignored, as the XDG base directory specification asks.
    """
    env = os.environ if environ is None else environ
    override = env.get(CACHE_DIR_ENV)
    if override:
        return override
    xdg = env.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return os.path.join(xdg, "ecrclient")
    return os.path.join(os.path.expanduser("~"), ".cache", "ecrclient")


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def _checksum(text: str) -> str:
    return f"{zlib.crc32(text.encode()):08x}"


class CacheKey(NamedTuple):
    """What a cached token is valid for (an immutable named tuple).

    ``account_id`` is empty for "the caller's default registry" (no registry named);
    ``endpoint`` is the endpoint override in force (empty when ECR's rules pick it: the profile
    name then stands for whatever the profile configures); ``principal`` is a checksum of an
    access key id taken from the environment, empty when there is none.
    """

    account_id: str
    region: str
    profile: str
    endpoint: str = ""
    principal: str = ""

    @classmethod
    def for_settings(
        cls,
        *,
        account_id: str,
        region: str,
        profile_name: str | None = None,
        endpoint_url: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> CacheKey:
        """The key for a client made with these arguments in this environment, derived the
        way the client resolves them (arguments first, then ``AWS_PROFILE`` /
        ``AWS_DEFAULT_PROFILE``, ``AWS_ENDPOINT_URL_ECR`` / ``AWS_ENDPOINT_URL`` unless
        ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`` is true), without creating the client."""
        env = os.environ if environ is None else environ
        profile = profile_name or env.get("AWS_PROFILE") or env.get("AWS_DEFAULT_PROFILE")
        endpoint = endpoint_url
        if not endpoint and not _truthy(env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")):
            endpoint = env.get("AWS_ENDPOINT_URL_ECR") or env.get("AWS_ENDPOINT_URL")
        access_key = env.get("AWS_ACCESS_KEY_ID", "")
        return cls(
            account_id=account_id,
            region=region,
            profile=profile or "default",
            endpoint=(endpoint or "").rstrip("/"),
            principal=_checksum(access_key) if access_key else "",
        )

    def with_account(self, account_id: str) -> CacheKey:
        return self._replace(account_id=account_id)

    @property
    def file_stem(self) -> str:
        """The key's file name (without ``.json``): account and region for the reader, and a
        checksum of every field."""
        canonical = json.dumps(list(self), separators=(",", ":"))
        account = self.account_id or "default"
        return f"{account}.{self.region}.{_checksum(canonical)}"


def _record(key: CacheKey, credentials: DockerCredentials) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "key": key._asdict(),
        "registry": credentials.registry,
        "username": credentials.username,
        "password": credentials.password,
        "expires_at": credentials.expires_at.timestamp(),
        "requested_at": credentials.requested_at.timestamp(),
    }


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _parse_record(data: Any) -> tuple[CacheKey, DockerCredentials] | None:
    """The key and credentials of a cache file's JSON, or ``None`` if it has another shape."""
    if not isinstance(data, dict):
        return None
    record = cast("dict[str, Any]", data)
    if record.get("version") != FORMAT_VERSION:
        return None
    raw_key = record.get("key")
    if not isinstance(raw_key, dict) or sorted(raw_key) != sorted(_KEY_FIELDS):  # pyright: ignore[reportUnknownArgumentType]
        return None
    fields: list[Any] = [raw_key[name] for name in _KEY_FIELDS]
    texts: list[Any] = [record.get(name) for name in ("registry", "username", "password")]
    if not all(isinstance(value, str) for value in fields):
        return None
    if not all(isinstance(value, str) and value for value in texts):
        return None
    expires_at = _number(record.get("expires_at"))
    requested_at = _number(record.get("requested_at"))
    if expires_at is None or requested_at is None:
        return None
    key = CacheKey(*fields)
    credentials = DockerCredentials(
        username=texts[1],
        password=texts[2],
        registry=texts[0],
        expires_at=datetime.fromtimestamp(expires_at, tz=timezone.utc),
        requested_at=datetime.fromtimestamp(requested_at, tz=timezone.utc),
    )
    return key, credentials


class CacheLock:
    """Exclusive locks on some keys of a :class:`TokenCache`, released by :meth:`release` or
    by leaving the ``with`` block (and by the kernel when the process ends)."""

    def __init__(self, descriptors: list[int]) -> None:
        self._descriptors = descriptors

    @property
    def held(self) -> int:
        """How many of the keys asked for are locked (fewer after a timeout or when the cache
        is off)."""
        return len(self._descriptors)

    def release(self) -> None:
        descriptors, self._descriptors = self._descriptors, []
        for fd in reversed(descriptors):
            with contextlib.suppress(OSError):
                _unlock(fd)
            os.close(fd)

    def __enter__(self) -> CacheLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


class TokenCache:
    """Docker credentials on disk, keyed by :class:`CacheKey`; see the module documentation.

    ``TokenCache()`` uses :func:`default_cache_directory`; pass ``directory`` to put it
    elsewhere. ``lock_timeout`` bounds the wait for another process's fetch (seconds); after
    it the caller goes ahead without the lock.
    """

    def __init__(
        self, directory: str | os.PathLike[str] | None = None, *, lock_timeout: float = 60.0
    ) -> None:
        base = os.fspath(directory) if directory is not None else default_cache_directory()
        self._folder = os.path.join(base, "docker-tokens")
        self._lock_timeout = float(lock_timeout)

    @property
    def directory(self) -> Path:
        """The folder holding the token files."""
        from pathlib import Path

        return Path(self._folder)

    def __repr__(self) -> str:
        return f"TokenCache(directory={self._folder!r})"

    def _path(self, stem: str, suffix: str = ".json") -> str:
        return os.path.join(self._folder, stem + suffix)

    # -- the folder --------------------------------------------------------------------------

    def _folder_is_ours(self, *, create: bool) -> bool:
        """Whether the folder may be used; when ``create``, make it (``0700``) or tighten it."""
        try:
            info = os.lstat(self._folder)
        except FileNotFoundError:
            if not create:
                return False
            try:
                os.makedirs(os.path.dirname(self._folder), mode=0o700, exist_ok=True)
                os.mkdir(self._folder, 0o700)
            except FileExistsError:
                pass
            except OSError as error:
                _debug("token cache off: cannot create %s (%s)", self._folder, error.strerror)
                return False
            info = os.lstat(self._folder)
        if not stat.S_ISDIR(info.st_mode) or not _owned_by_me(info):
            _debug("token cache off: %s is not a folder of this user", self._folder)
            return False
        if info.st_mode & 0o077 and create:
            os.chmod(self._folder, 0o700)  # each file is checked on its own when reading
        return True

    # -- reading -----------------------------------------------------------------------------

    def _read(self, path: str) -> tuple[CacheKey, DockerCredentials] | None:
        name = os.path.basename(path)
        try:
            fd = os.open(path, _READ_FLAGS)
        except OSError as error:
            if error.errno == errno.ELOOP:
                _debug("token cache: ignoring %s, a symbolic link", name)
            elif error.errno != errno.ENOENT:
                _debug("token cache: cannot open %s (%s)", name, error.strerror)
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or not _owned_by_me(info):
                _debug("token cache: ignoring %s, not a file of this user", name)
                return None
            if info.st_mode & 0o077:
                _debug("token cache: ignoring %s, open to group or others", name)
                return None
            if info.st_size > MAX_FILE_BYTES:
                _debug("token cache: ignoring %s, too large", name)
                return None
            raw = os.read(fd, MAX_FILE_BYTES + 1)
        finally:
            os.close(fd)
        try:
            parsed = _parse_record(json.loads(raw))
        except ValueError:  # not JSON, or not UTF-8: never quote it, it may hold a secret
            parsed = None
        if parsed is None:
            _debug("token cache: ignoring %s, not a token record", name)
        return parsed

    def get(self, key: CacheKey) -> DockerCredentials | None:
        """The cached credentials for ``key`` (fresh or not), or ``None``."""
        if not self._folder_is_ours(create=False):
            return None
        found = self._read(self._path(key.file_stem))
        if found is None:
            return None
        stored_key, credentials = found
        if stored_key != key:
            _debug("token cache: ignoring a record stored under another key")
            return None
        return credentials

    def entries(self) -> list[tuple[CacheKey, DockerCredentials]]:
        """Every readable record, in file name order."""
        if not self._folder_is_ours(create=False):
            return []
        found: list[tuple[CacheKey, DockerCredentials]] = []
        for name in sorted(os.listdir(self._folder)):
            if not name.endswith(".json"):
                continue
            record = self._read(self._path(name, ""))
            if record is not None and record[0].file_stem == name[: -len(".json")]:
                found.append(record)
        return found

    # -- writing -----------------------------------------------------------------------------

    def put(self, key: CacheKey, credentials: DockerCredentials) -> bool:
        """Store ``credentials`` under ``key``, atomically; ``False`` if the cache is off or
        the write failed (a cache that cannot be written never fails the caller)."""
        import tempfile

        if not self._folder_is_ours(create=True):
            return False
        payload = json.dumps(_record(key, credentials), separators=(",", ":")).encode()
        target = self._path(key.file_stem)
        try:
            fd, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self._folder)
        except OSError as error:
            _debug("token cache: cannot write in %s (%s)", self._folder, error.strerror)
            return False
        try:
            with os.fdopen(fd, "wb") as stream:  # mkstemp made it 0600
                stream.write(payload)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            _debug("token cache: cannot write %s (%s)", os.path.basename(target), error.strerror)
            return False
        _debug("token cache: stored %s for %s", os.path.basename(target), credentials.registry)
        return True

    def remove(self, key: CacheKey) -> None:
        """Forget ``key``'s record (nothing happens if there is none)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._path(key.file_stem))

    def lock(self, keys: Iterable[CacheKey]) -> CacheLock:
        """Exclusive locks on ``keys`` (taken in a fixed order, so two callers locking
        overlapping sets cannot deadlock). Waits up to ``lock_timeout`` for each; on timeout,
        or when the cache is off, returns without that lock."""
        stems = sorted({key.file_stem for key in keys})
        if not stems or not self._folder_is_ours(create=True):
            return CacheLock([])
        held: list[int] = []
        for stem in stems:
            path = self._path(stem, ".lock")
            try:
                fd = os.open(path, _LOCK_FLAGS, 0o600)
            except OSError as error:
                _debug("token cache: cannot open lock %s (%s)", stem, error.strerror)
                continue
            if self._wait_for_lock(fd):
                held.append(fd)
            else:
                os.close(fd)
                _debug("token cache: gave up waiting for lock %s", stem)
        return CacheLock(held)

    def _wait_for_lock(self, fd: int) -> bool:
        deadline = time.monotonic() + self._lock_timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                return False
            time.sleep(LOCK_POLL_SECONDS)
        return True


def iter_fresh(
    records: Iterable[tuple[CacheKey, DockerCredentials]], now: float
) -> Iterator[tuple[CacheKey, DockerCredentials]]:
    """The records whose token is not past its renewal time at ``now`` (epoch seconds)."""
    for key, credentials in records:
        if not refresh_due(
            credentials.requested_at.timestamp(), credentials.expires_at.timestamp(), now
        ):
            yield key, credentials
