"""Where an upload reads from: bytes, a file, or a binary stream.

Sources are touched only by the drivers (through the ``ReadSource`` / ``SeekSource`` effects):
the upload steps just hold them. Positions are relative to the start of the blob, so a stream
handed over mid-way uploads from where it stood.

A file is opened for each read rather than kept open, so an upload that stops for any reason
leaves no handle behind and the steps need no closing protocol; at one open per part (megabytes)
the cost does not show.

Reads return a fresh ``bytearray``, sent as it is (the client takes any bytes-like blob and
keeps no request alive once the call is over), so a part is never copied.
"""

from __future__ import annotations

import os
from typing import BinaryIO


class BlobSource:
    """The bytes of one blob, read front to back, rewound only on ECR's request."""

    size: int | None
    """The blob's size, when known before reading."""
    seekable: bool
    in_memory: bool
    """Reads never block (the async driver then skips the worker thread)."""

    def read(self, count: int) -> bytearray:
        """Up to ``count`` bytes: exactly ``count`` unless the blob ends first."""
        raise NotImplementedError

    def seek(self, offset: int) -> None:
        """Go to byte ``offset`` of the blob."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


class BytesSource(BlobSource):
    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        self._data = memoryview(data).cast("B")
        self._position = 0
        self.size = len(self._data)
        self.seekable = True
        self.in_memory = True

    def read(self, count: int) -> bytearray:
        chunk = self._data[self._position : self._position + count]
        self._position += len(chunk)
        return bytearray(chunk)

    def seek(self, offset: int) -> None:
        self._position = offset

    def describe(self) -> str:
        return f"{self.size} bytes in memory"


class PathSource(BlobSource):
    def __init__(self, path: str | os.PathLike[str], size: int | None = None) -> None:
        self._path = os.fspath(path)
        self._position = 0
        self.size = size
        self.seekable = True
        self.in_memory = False

    def read(self, count: int) -> bytearray:
        chunk = bytearray(count)
        with open(self._path, "rb") as file:
            file.seek(self._position)
            got = file.readinto(chunk)
        del chunk[got:]
        self._position += got
        return chunk

    def seek(self, offset: int) -> None:
        self._position = offset

    def describe(self) -> str:
        return f"file {self._path}"


class StreamSource(BlobSource):
    def __init__(self, stream: BinaryIO, size: int | None = None) -> None:
        self._stream = stream
        self.size = size
        self.in_memory = False
        try:
            self.seekable = stream.seekable()
            self._start = stream.tell() if self.seekable else 0
        except (AttributeError, OSError):  # some file-likes do not implement the query
            self.seekable = False
            self._start = 0

    def read(self, count: int) -> bytearray:
        # A pipe or socket returns what it has: gather until the part is full or the end.
        chunk = bytearray()
        while len(chunk) < count:
            piece = self._stream.read(count - len(chunk))
            if not piece:
                break
            chunk += piece
        return chunk

    def seek(self, offset: int) -> None:
        self._stream.seek(self._start + offset)

    def describe(self) -> str:
        return f"stream {type(self._stream).__name__}"


BlobInput = bytes | bytearray | memoryview | str | os.PathLike[str] | BinaryIO
"""What an upload takes: bytes, a file's path, or a binary stream."""


def open_source(source: BlobInput, size: int | None) -> BlobSource:
    """The :class:`BlobSource` for what the caller passed; ``size`` is checked when the source
    knows its own."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        blob: BlobSource = BytesSource(source)
    elif isinstance(source, (str, os.PathLike)):
        blob = PathSource(source, os.path.getsize(source))
    elif callable(getattr(source, "read", None)):
        return StreamSource(source, size)
    else:
        raise TypeError(
            f"cannot upload a {type(source).__name__}: pass bytes, a path or a binary stream"
        )
    if size is not None and size != blob.size:
        raise ValueError(f"size={size} but the source holds {blob.size} bytes")
    return blob
