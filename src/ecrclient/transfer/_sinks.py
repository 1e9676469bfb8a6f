"""Where a download writes to: a file (written aside, renamed into place when verified) or a
caller's stream.

A file download writes ``.<name>.<random>.partial`` in the destination's folder and renames it
over the destination only once size and digest are verified, so the destination never holds a
half-written or wrong blob; every failure, cancellation or interrupt removes the partial file.
Sinks are touched only by the drivers (through the sink effects).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO


class Sink:
    """The destination of one blob."""

    path: Path | None

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    def restart(self) -> None:
        """Drop what was written: the server ignored a range request and sends from byte 0."""
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
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".partial", dir=path.parent
        )
        self._partial = Path(partial)
        self._file: BinaryIO | None = open(descriptor, "wb", buffering=self._WRITE_BUFFER)  # noqa: SIM115 - owned by the sink until commit or discard

    def write(self, data: bytes) -> None:
        assert self._file is not None, "write after commit or discard"
        self._file.write(data)

    def restart(self) -> None:
        assert self._file is not None, "restart after commit or discard"
        self._file.seek(0)
        self._file.truncate()

    def commit(self) -> None:
        assert self._file is not None, "commit after commit or discard"
        file, self._file = self._file, None
        file.close()
        os.replace(self._partial, self.path)  # type: ignore[arg-type]

    def discard(self) -> None:
        file, self._file = self._file, None
        if file is not None:
            file.close()
            self._partial.unlink(missing_ok=True)


class StreamSink(Sink):
    """Writes straight into the caller's stream. On failure the caller owns what was written;
    a restart needs the stream to be seekable."""

    def __init__(self, stream: BinaryIO) -> None:
        self.path = None
        self._stream = stream
        try:
            self._start: int | None = stream.tell() if stream.seekable() else None
        except (AttributeError, OSError):
            self._start = None

    def write(self, data: bytes) -> None:
        self._stream.write(data)

    def restart(self) -> None:
        if self._start is None:
            raise OSError("the server restarted the blob from byte 0 and the stream cannot seek")
        self._stream.seek(self._start)
        self._stream.truncate()

    def commit(self) -> None:
        self._stream.flush()

    def discard(self) -> None:
        pass
