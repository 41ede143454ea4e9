"""The on-disk form of a search segment: a folder of numpy arrays and a small manifest.

A segment folder holds ``manifest.json`` (the format number, counts, and each array's type,
shape and place) and ``arrays.bin``, the arrays one after the other. Readers map that file
once and view the arrays in it, so opening costs a few system calls and only the pages a
query touches are read.

Writing is atomic: the files go to a temporary folder beside the target, are synced, then
the folder is renamed into place. A folder written by another format version is refused
(:class:`SegmentError`, whose message says to rebuild), and so is a damaged one (a missing,
cut or unreadable file, an array that is not where the manifest says).

Both sides use this module: the builder (:mod:`pktui.search.build`) writes, the index
(:mod:`pktui.search.index`) reads; neither imports the other.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import shutil
import time
import uuid
import weakref
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 1
MANIFEST = "manifest.json"
DATA = "arrays.bin"
_ALIGN = 64
_WHAT = "pktui search segment"


def strings(items: list[str]) -> np.ndarray:
    """Strings as a numpy byte-string array (UTF-8, which sorts as the code points do),
    for sorted lookups with ``searchsorted``."""
    if not items:
        return np.zeros(0, "S1")
    return np.array([s.encode("utf-8") for s in items], dtype="S")


class SegmentError(ValueError):
    """A segment that cannot be read: missing, damaged, or written by another format."""


class SegmentMissing(SegmentError, FileNotFoundError):
    """No segment at all where one was named (not written, or removed meanwhile)."""


class SegmentData:
    """A segment in memory or mapped from disk: named arrays and the manifest's facts.
    ``offsets``: where each array's data starts in its file (read from disk)."""

    def __init__(
        self,
        arrays: Mapping[str, np.ndarray],
        meta: dict[str, Any],
        folder: Path | None = None,
        offsets: dict[str, int] | None = None,
    ) -> None:
        self.arrays = dict(arrays)
        self.meta = meta
        self.folder = folder
        self.offsets = offsets or {}
        #: a build's peak memory (MB) of its helper process, and of this one with it
        self.helper_peak_mb = 0.0
        self.peak_with_helper_mb = 0.0

    def row_reader(self, name: str) -> Callable[[int], bytes]:
        """Rows of a 2-d array as bytes. From disk, each is read with ``pread`` rather than
        through the map, so that rows read once (a frequent token's bitset, copied into an
        int) do not stay in this process's memory as mapped pages."""
        arr = self[name]
        if self.folder is None or self.offsets.get(name, -1) < 0 or arr.ndim != 2:
            return lambda r: arr[r].tobytes()
        fd = os.open(self.folder / DATA, os.O_RDONLY)
        weakref.finalize(self, os.close, fd)
        width, start = arr.shape[1] * arr.itemsize, self.offsets[name]
        return lambda r: os.pread(fd, width, start + r * width)

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self.arrays[name]
        except KeyError:
            where = self.folder if self.folder is not None else "segment in memory"
            raise SegmentError(f"search segment {where}: no array {name!r} (damaged: rebuild it)") from None

    def __contains__(self, name: str) -> bool:
        return name in self.arrays


def write(data: SegmentData, folder: str | os.PathLike[str], *, sync: bool = True) -> Path:
    """Write ``data`` as the segment folder ``folder``, atomically (see the module doc).

    The arrays go one after the other (each at a multiple of 64 bytes) into one file,
    :data:`DATA`, synced once; the manifest says where each is. An existing folder of that
    name is replaced: moved aside, the new one renamed in, the old one removed.
    """
    target = Path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        places = {}
        with open(tmp / DATA, "wb") as fh:
            at = 0
            for name in sorted(data.arrays):
                arr = np.ascontiguousarray(data.arrays[name])
                pad = -at % _ALIGN
                fh.write(bytes(pad))
                at += pad
                arr.tofile(fh)
                places[name] = [arr.dtype.str, list(arr.shape), at]
                at += arr.nbytes
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        manifest = {"what": _WHAT, "format": FORMAT, "written_ns": time.time_ns(), **data.meta}
        manifest.update(data_bytes=at, arrays=places)
        with open(tmp / MANIFEST, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, ensure_ascii=False)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        if sync:
            _sync_dir(tmp)
        old = None
        if target.exists():
            old = target.parent / f".{target.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            os.rename(target, old)
        os.rename(tmp, target)
        if sync:
            _sync_dir(target.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def read(folder: str | os.PathLike[str]) -> SegmentData:
    """Map the segment folder ``folder`` (arrays are read-only views of one memory map)."""
    path = Path(folder)
    try:
        with open(path / MANIFEST, encoding="utf-8") as fh:
            manifest = json.load(fh)
    except FileNotFoundError:
        raise SegmentMissing(f"search segment {path}: no {MANIFEST} (not a segment, or not complete)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SegmentError(f"search segment {path}: unreadable {MANIFEST} ({exc}): rebuild it") from None
    if not isinstance(manifest, dict) or manifest.get("what") != _WHAT:
        raise SegmentError(f"search segment {path}: {MANIFEST} is not a search segment's")
    if manifest.get("format") != FORMAT:
        raise SegmentError(
            f"search segment {path}: format {manifest.get('format')!r}, this pktui reads format {FORMAT}: rebuild it"
        )
    places = manifest.pop("arrays", None)
    size = manifest.pop("data_bytes", None)
    if not isinstance(places, dict) or not isinstance(size, int):
        raise SegmentError(f"search segment {path}: {MANIFEST} lists no arrays: rebuild it")
    buffer = _map(path / DATA, size)
    arrays, offsets = {}, {}
    for name, spec in places.items():
        arrays[name], offsets[name] = _view(path, buffer, size, name, spec)
    return SegmentData(arrays, manifest, path, offsets)


def _map(file: Path, size: int) -> mmap.mmap | bytes:
    """The data file, mapped (its size checked: a cut file is damaged)."""
    try:
        with open(file, "rb") as fh:
            real = os.fstat(fh.fileno()).st_size
            if real != size:
                raise SegmentError(
                    f"search segment {file.parent}: {file.name} has {real} bytes, not {size} (damaged: rebuild it)"
                )
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
    except FileNotFoundError:  # removed meanwhile (another process replaced the segments)
        raise SegmentMissing(f"search segment {file.parent}: no {file.name} (removed meanwhile?)") from None
    except OSError as exc:
        raise SegmentError(f"search segment {file.parent}: cannot read {file.name} ({exc}): rebuild it") from None


def _view(folder: Path, buffer: mmap.mmap | bytes, size: int, name: str, spec: Sequence[Any]) -> tuple[np.ndarray, int]:
    """An array of a segment: a read-only view of the map, and where it starts."""
    try:
        dtype, shape, at = np.dtype(spec[0]), tuple(int(x) for x in spec[1]), int(spec[2])
        nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        if at < 0 or at + nbytes > size or dtype.hasobject:
            raise ValueError
        arr = np.ndarray(shape, dtype, buffer=buffer, offset=at) if nbytes else np.zeros(shape, dtype)
    except (TypeError, ValueError, IndexError):
        raise SegmentError(
            f"search segment {folder}: array {name!r} is not where {MANIFEST} says (damaged: rebuild it)"
        ) from None
    return arr, at


def _sync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every system lets a folder be synced
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
