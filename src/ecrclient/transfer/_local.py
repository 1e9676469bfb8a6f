"""The local effects — sources, sinks, small files, scratch folders — carried out the same way
by both drivers (the async one runs them inline: each is a short local file operation, and an
inline one cannot be left half-done by a cancellation)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ecrclient.transfer._effects import (
    CommitSink,
    DiscardSink,
    Effect,
    FileSize,
    MakeTempDir,
    OpenSink,
    ReadFile,
    ReadSource,
    RemoveTree,
    RestartSink,
    SeekSource,
    SinkDigest,
    WriteFile,
    WriteSink,
)
from ecrclient.transfer._sinks import FileSink, Sink, StreamSink

LOCAL_EFFECTS = (
    ReadSource,
    SeekSource,
    ReadFile,
    FileSize,
    WriteFile,
    OpenSink,
    WriteSink,
    SinkDigest,
    RestartSink,
    CommitSink,
    DiscardSink,
    MakeTempDir,
    RemoveTree,
)


def perform_local(effect: Effect) -> Any:
    """Carry out one of the :data:`LOCAL_EFFECTS`."""
    match effect:
        case ReadSource(source=source, count=count):
            return source.read(count)
        case SeekSource(source=source, offset=offset):
            source.seek(offset)
            return None
        case ReadFile(path=path):
            try:
                return path.read_bytes()
            except FileNotFoundError:
                return None
        case FileSize(path=path):
            try:
                return path.stat().st_size
            except FileNotFoundError:
                return None
        case WriteFile(path=path, data=data):
            _write_whole(path, data)
            return None
        case OpenSink(destination=destination):
            return _open_sink(destination)
        case WriteSink(sink=sink, data=data):
            sink.write(data)
            return None
        case SinkDigest(sink=sink):
            return sink.digest()
        case RestartSink(sink=sink):
            sink.restart()
            return None
        case CommitSink(sink=sink):
            sink.commit()
            return None
        case DiscardSink(sink=sink):
            sink.discard()
            return None
        case MakeTempDir(parent=parent):
            if parent is not None:
                parent.mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix="ecrclient-copy-", dir=parent))
        case RemoveTree(path=path):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            return None
        case _:
            raise TypeError(f"not a local effect: {effect!r}")


def _open_sink(destination: object) -> Sink:
    if isinstance(destination, (str, os.PathLike)):
        return FileSink(Path(destination))  # pyright: ignore[reportUnknownArgumentType]
    return StreamSink(destination)  # type: ignore[arg-type]  # a binary stream, by contract


def _write_whole(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".partial", dir=path.parent
    )
    try:
        with open(descriptor, "wb") as file:
            file.write(data)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
