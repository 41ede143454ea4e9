"""The on-disk form of a search segment: a folder of numpy arrays and a small manifest.

A segment folder holds ``manifest.json`` (the format number, what the arrays are, counts)
and one ``.npy`` file per array. Readers map the arrays (``numpy.load(mmap_mode="r")``),
so opening costs a few system calls per file and only the pages a query touches are read.

Writing is atomic: the arrays go to a temporary folder beside the target, every file and
the folder are synced, then the folder is renamed into place. A folder written by another
format version is refused (:class:`SegmentError`, whose message says to rebuild), and so
is a damaged one (a missing or unreadable file, an array of the wrong shape or type).

Both sides use this module: the builder (:mod:`pktui.search.build`) writes, the index
(:mod:`pktui.search.index`) reads; neither imports the other.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import uuid
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 1
MANIFEST = "manifest.json"
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

    def row_reader(self, name: str) -> Callable[[int], bytes]:
        """Rows of a 2-d array as bytes. From disk, each is read with ``pread`` rather than
        through the map, so that rows read once (a frequent token's bitset, copied into an
        int) do not stay in this process's memory as mapped pages."""
        arr = self[name]
        if self.folder is None or self.offsets.get(name, -1) < 0 or arr.ndim != 2:
            return lambda r: arr[r].tobytes()
        fd = os.open(self.folder / f"{name}.npy", os.O_RDONLY)
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


def write(data: SegmentData, folder: str | os.PathLike, *, sync: bool = True) -> Path:
    """Write ``data`` as the segment folder ``folder``, atomically (see the module doc).

    An existing folder of that name is replaced: moved aside, the new one renamed in, the
    old one removed.
    """
    target = Path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        files = {}
        for name, arr in data.arrays.items():
            arr = np.ascontiguousarray(arr)
            path = tmp / f"{name}.npy"
            with open(path, "wb") as fh:
                np.save(fh, arr, allow_pickle=False)
                if sync:
                    fh.flush()
                    os.fsync(fh.fileno())
            files[name] = [arr.dtype.str, list(arr.shape)]
        manifest = {"what": _WHAT, "format": FORMAT, "written_ns": time.time_ns(), **data.meta, "files": files}
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


def read(folder: str | os.PathLike) -> SegmentData:
    """Map the segment folder ``folder`` (arrays are read-only memory maps)."""
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
    files = manifest.pop("files", None)
    if not isinstance(files, dict):
        raise SegmentError(f"search segment {path}: {MANIFEST} lists no files: rebuild it")
    arrays, offsets = {}, {}
    for name, spec in files.items():
        arrays[name], offsets[name] = _load(path, name, spec)
    return SegmentData(arrays, manifest, path, offsets)


def _load(folder: Path, name: str, spec) -> tuple[np.ndarray, int]:
    """An array of a segment, mapped, and where its data starts in its file."""
    file = folder / f"{name}.npy"
    try:
        try:
            mapped = np.load(file, mmap_mode="r", allow_pickle=False)
            offset = int(getattr(mapped, "offset", -1))
            # a plain array over the map: numpy's memmap subclass costs on every access
            arr = np.asarray(mapped)
        except ValueError:  # an empty array with an older numpy: nothing to map
            arr, offset = np.load(file, allow_pickle=False), -1
    except FileNotFoundError:  # removed meanwhile (another process replaced the segments)
        raise SegmentMissing(f"search segment {folder}: no {file.name} (removed meanwhile?)") from None
    except (OSError, ValueError, EOFError) as exc:
        raise SegmentError(f"search segment {folder}: cannot read {file.name} ({exc}): rebuild it") from None
    try:
        dtype, shape = spec
        ok = arr.dtype.str == dtype and list(arr.shape) == list(shape)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise SegmentError(f"search segment {folder}: {file.name} is not what {MANIFEST} says (damaged: rebuild it)")
    return arr, offset


def _sync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every system lets a folder be synced
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
