"""Where a download writes to: a file (written aside, renamed into place when verified) or a
caller's stream.

A file download writes ``.<name>.<random>.partial`` in the destination's folder and renames it
over the destination only once size and digest are verified, so the destination never holds a
half-written or wrong blob; every failure, cancellation or interrupt removes the partial file.
Sinks are touched only by the drivers (through the sink effects).

A sink hashes what it writes, as it writes it: the steps ask for the digest at the end and
decide. Hashing and writing are the CPU and disk work of a download, so the sync driver runs them
on a thread of their own (:class:`BackgroundSink`) while the next bytes arrive; ``hashlib`` and
file writes release the GIL, so the two overlap on two cores. The queue between them is
bounded, so memory stays bounded whatever the disk's speed.
"""

from __future__ import annotations

import os
import queue
import tempfile
import threading
from pathlib import Path
from typing import BinaryIO

from ecrclient.transfer._digest import digest_from, new_hasher


class Sink:
    """The destination of one blob; it keeps the digest and size of what it holds."""

    path: Path | None

    def __init__(self) -> None:
        self._hasher = new_hasher()
        self._written = 0

    def write(self, data: bytes) -> None:
        self._hasher.update(data)
        self._store(data)
        self._written += len(data)

    def digest(self) -> tuple[str, int]:
        """The digest and size of what was written so far."""
        return digest_from(self._hasher), self._written

    def restart(self) -> None:
        """Drop what was written: the server ignored a range request and sends from byte 0."""
        self._clear()
        self._hasher = new_hasher()
        self._written = 0

    def _store(self, data: bytes) -> None:
        raise NotImplementedError

    def _clear(self) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        """Undo everything; safe to call at any time, and more than once."""
        raise NotImplementedError


class FileSink(Sink):
    _WRITE_BUFFER = 1024 * 1024
    """Network chunks are ~64 KiB: a larger buffer turns them into fewer system calls."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._destination = path
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".partial", dir=path.parent
        )
        self._partial = Path(partial)
        # Owned by the sink until commit or discard closes it.
        self._file: BinaryIO | None = open(descriptor, "wb", buffering=self._WRITE_BUFFER)  # noqa: SIM115

    def _store(self, data: bytes) -> None:
        assert self._file is not None, "write after commit or discard"
        self._file.write(data)

    def _clear(self) -> None:
        assert self._file is not None, "restart after commit or discard"
        self._file.seek(0)
        self._file.truncate()

    def commit(self) -> None:
        assert self._file is not None, "commit after commit or discard"
        file, self._file = self._file, None
        file.close()
        os.replace(self._partial, self._destination)

    def discard(self) -> None:
        file, self._file = self._file, None
        if file is not None:
            file.close()
            self._partial.unlink(missing_ok=True)


class StreamSink(Sink):
    """Writes straight into the caller's stream. On failure the caller owns what was written;
    a restart needs the stream to be seekable."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self.path = None
        self._stream = stream
        try:
            self._start: int | None = stream.tell() if stream.seekable() else None
        except (AttributeError, OSError):
            self._start = None

    def _store(self, data: bytes) -> None:
        self._stream.write(data)

    def _clear(self) -> None:
        if self._start is None:
            raise OSError("the server restarted the blob from byte 0 and the stream cannot seek")
        self._stream.seek(self._start)
        self._stream.truncate()

    def commit(self) -> None:
        self._stream.flush()

    def discard(self) -> None:
        pass


_DONE = b""
"""Queued to end the writer thread (chunks are never empty)."""


class BackgroundSink(Sink):
    """Another sink, written (and hashed) on a thread of its own. ``write`` only queues; every
    other call first waits for the queue to drain, and re-raises a write's failure."""

    QUEUED_CHUNKS = 4
    """The drivers hand over ~1 MiB chunks: at most ~4 MiB waits for the disk."""

    def __init__(self, inner: Sink) -> None:
        super().__init__()
        self.path = inner.path
        self._inner = inner
        self._queue: queue.Queue[bytes] = queue.Queue(self.QUEUED_CHUNKS)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(
            target=self._work, name="ecrclient-transfer-writer", daemon=True
        )
        self._thread.start()

    def _work(self) -> None:
        while True:
            data = self._queue.get()
            try:
                if data is _DONE:
                    return
                if self._failure is None:
                    self._inner.write(data)
            except BaseException as exc:  # reported to the steps at the next call
                self._failure = exc
            finally:
                self._queue.task_done()

    def _drain(self) -> None:
        self._queue.join()
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(_DONE)
            self._thread.join()

    def write(self, data: bytes) -> None:
        if self._failure is not None:
            self._drain()
        self._queue.put(data)

    def digest(self) -> tuple[str, int]:
        self._drain()
        return self._inner.digest()

    def restart(self) -> None:
        self._drain()
        self._inner.restart()

    def commit(self) -> None:
        self._drain()
        self._stop()
        self._inner.commit()

    def discard(self) -> None:
        self._queue.join()  # a failed write is moot: everything goes
        self._failure = None
        self._stop()
        self._inner.discard()
