"""Reopen figures: what a user waits for with an indexed corpus, each in a new process.

* ``reopen``: ``pktui search QUERY DIR`` on an indexed, unchanged corpus (open the index,
  scan the folder, answer): seconds and the process's peak memory;
* ``ledger_100``, ``ledger_1000`` (synthetic corpus): the same search with a corrections ledger
  of that many mixed entries (:mod:`pktui.bench.ledger`), the first time, ``_again`` and
  ``_grown`` (after one entry appended);
* ``update_1``, ``update_100``: the same search right after 1, then 100 articles were added
  to the folder (the update, its extraction and search delta included).

The added articles go into the synthetic corpus folder itself (as a user adds files to a
folder), named ``bench-added-*``, and are taken out (and the index brought back) afterwards, so
the corpus can be reused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pktui.knowledge.cache import cache_dir

ADDED = "bench-added-"
DEFAULT_QUERY = "unisfa abyei"


def synthetic_folder(n: int, seed: int = 7) -> Path:
    """A synthetic corpus of ``n`` articles, written once and reused (under the cache)."""
    from pktui.bench.synthetic import write_corpus

    folder = cache_dir() / "bench" / f"synthetic-{n}-{seed}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(folder, n, seed)
        done.write_text("ok\n", encoding="utf-8")
    _take_out(folder)
    return folder


def _take_out(folder: Path) -> None:
    for p in folder.glob(f"{ADDED}*"):
        p.unlink(missing_ok=True)


def in_new_process(args: list[str]) -> tuple[float, float, int, str]:
    """``pktui ARGS`` in a new process: (seconds, its peak memory in MB, exit status, stderr)."""
    import tempfile

    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errors:
        # (to a file: a pipe nobody reads while waiting fills up, and the process stops)
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-m", "pktui", *args], stdout=subprocess.DEVNULL, stderr=errors)
        _pid, status, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - t0
        errors.seek(0)
        err = errors.read()
    p.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return seconds, peak, p.returncode, err


def reopen_figures(folder: Path, query: str = DEFAULT_QUERY, *, updates: bool = True) -> dict[str, float]:
    """Index ``folder`` (untimed), then time the reopen and, on a synthetic corpus of ours,
    the updates (see the module doc)."""
    _checked(in_new_process(["index", str(folder)]))
    out: dict[str, float] = {}
    seconds, peak, *_ = _checked(in_new_process(["search", query, str(folder)]))
    out["reopen_s"], out["reopen_peak_mb"] = round(seconds, 3), round(peak, 1)
    if not updates:
        return out
    from pktui.bench.ledger import ledger_figures

    out.update(ledger_figures(folder, query, in_new_process))
    import tempfile

    from pktui.bench.synthetic import write_corpus

    try:
        for n in (1, 100):
            with tempfile.TemporaryDirectory() as tmp:
                for p in write_corpus(tmp, n, seed=1000 + n):
                    shutil.move(p, folder / f"{ADDED}{n}-{p.name}")
            seconds, peak, *_ = _checked(in_new_process(["search", query, str(folder)]))
            out[f"update_{n}_s"], out[f"update_{n}_peak_mb"] = round(seconds, 3), round(peak, 1)
    finally:
        _take_out(folder)
        in_new_process(["index", str(folder)])
    return out


def _checked(result: tuple[float, float, int, str]) -> tuple[float, float, int, str]:
    if result[2] != 0:
        raise RuntimeError(f"pktui exited {result[2]}: {result[3].strip()[-300:]}")
    return result
