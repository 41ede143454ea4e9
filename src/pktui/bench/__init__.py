"""``pktui bench``: load, index, then replay queries keystroke by keystroke.

Every prefix of every query is one keystroke, searched as the search box would (limit 50,
match spans and labels included). Reports load and index time, per-keystroke latency
(p50, p95, max) and the peak resident memory of the process.
"""

from __future__ import annotations

import gc
import json
import math
import resource
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from pktui.text import one_line

KEYSTROKE_LIMIT = 50  # results fetched per keystroke, as the browser does


def default_queries() -> list[str]:
    text = resources.files("pktui.search").joinpath("bench_queries.txt").read_text("utf-8")
    return [q for q in text.splitlines() if q.strip()]


def read_queries(path: str) -> list[str]:
    """One query a line; a regular file only, size-bounded (a FIFO or /dev/zero never hangs)."""
    from pktui.fileio import read_user_text

    return [line.rstrip("\r") for line in read_user_text(path).split("\n") if line.strip()]


def peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (``p`` in 0..100)."""
    if not values:
        return 0.0
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


def replay(index, queries: list[str], limit: int = KEYSTROKE_LIMIT) -> list[float]:
    """Seconds per keystroke, every prefix of every query."""
    times: list[float] = []
    clock = time.perf_counter
    for q in queries:
        for i in range(1, len(q) + 1):
            t0 = clock()
            index.search(q[:i], limit=limit)
            times.append(clock() - t0)
    return times


def run_bench(
    paths: list[str] | None,
    queries_file: str | None,
    synthetic: int | None,
    as_json: bool,
    out: TextIO = sys.stdout,
    synthetic_facts: int | None = None,
    options: Any = None,
    reopen_figures_wanted: bool = False,
) -> int:
    from pktui.search import SearchIndex

    try:
        queries = read_queries(queries_file) if queries_file else default_queries()
    except ValueError as exc:  # UserFileError: one line naming the file
        print(f"pktui: error: queries: {one_line(str(exc))}", file=sys.stderr)
        return 1
    if not queries:
        print("pktui: error: no queries to replay", file=sys.stderr)
        return 1

    reopen: dict[str, float] = {}
    t0 = time.perf_counter()
    if synthetic_facts:
        from pktui.bench.synthetic import synthetic_kb

        kb = synthetic_kb(synthetic_facts)
        source = f"synthetic knowledge base ({synthetic_facts} facts, no extraction)"
        gc.collect()
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        index = SearchIndex.build(kb)
        index_s = time.perf_counter() - t0
    else:
        from pktui.archive import open_archive

        folder = None
        if synthetic:
            from pktui.bench.reopen import synthetic_folder

            folder = synthetic_folder(synthetic)
            paths = [str(folder)]
            source = f"{synthetic} synthetic articles ({folder})"
        else:
            source = " ".join(paths) if paths else "bundled sample corpus"
        if reopen_figures_wanted and paths and len(paths) == 1 and Path(paths[0]).is_dir():
            from pktui.bench.reopen import reopen_figures

            reopen = reopen_figures(Path(paths[0]), updates=folder is not None)
        t0 = time.perf_counter()
        archive = open_archive(paths or None, options=options, with_search=False)
        kb = archive.kb
        for p in kb.problems:
            print(f"pktui: {p.line()}", file=sys.stderr)
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        from pktui.archive import open_search

        index = open_search(archive)
        index_s = time.perf_counter() - t0
    if not len(kb.articles):
        print("pktui: error: no articles could be read", file=sys.stderr)
        return 1
    # while building, a helper process may tokenize: while it ran, both count (their peaks,
    # as if together)
    build_peak_mb = index.peak_with_helper_mb
    # The knowledge base and the index live as long as the app: keep the cyclic garbage
    # collector from walking their millions of objects on every full collection (a pause
    # of 100 ms and more at a million facts), as the browser does after loading.
    gc.freeze()

    times = replay(index, queries)
    ms = [t * 1000 for t in times]
    report = {
        "articles": len(kb.articles),
        "facts": len(kb.facts),
        "load_s": round(load_s, 3),
        "index_s": round(index_s, 3),
        "keystrokes": len(ms),
        "p50_ms": round(percentile(ms, 50), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "max_ms": round(max(ms), 3),
        "peak_rss_mb": round(max(build_peak_mb, peak_rss_mb()), 1),
        **reopen,
    }
    if as_json:
        out.write(json.dumps(report) + "\n")
        return 0
    rows = [
        ("corpus", one_line(source)),
        ("articles", f"{report['articles']:,}"),
        ("facts", f"{report['facts']:,}"),
        ("entities", f"{len(kb.entities):,}"),
        ("indexed documents", f"{index.n_docs:,} (facts, entities, passages without facts)"),
        ("vocabulary", f"{len(index.vocab):,} tokens"),
        ("load", f"{load_s:.3f} s"),
        ("index build", f"{index_s:.3f} s"),
        ("queries", f"{len(queries)} ({len(ms)} keystrokes, {KEYSTROKE_LIMIT} results each)"),
        ("latency p50", f"{report['p50_ms']:.2f} ms"),
        ("latency p95", f"{report['p95_ms']:.2f} ms"),
        ("latency max", f"{report['max_ms']:.2f} ms"),
        (
            "peak memory",
            f"{report['peak_rss_mb']:.0f} MB"
            + (
                f" (with the index build's tokenizer process, {index.helper_peak_mb:.0f} MB, while it ran)"
                if report["peak_rss_mb"] == round(build_peak_mb, 1)
                else ""
            ),
        ),
    ]
    labels = {
        "reopen_s": "reopen + first search (new process)",
        "reopen_peak_mb": "  its peak memory (MB)",
        **{
            f"ledger_{n}{again}_{what}": label
            for n in (100, 1000)
            for again, first in (
                ("", f"with a ledger of {n:,} entries"),
                ("_again", "  the same again"),
                ("_grown", "  after one entry appended"),
            )
            for what, label in (("s", first), ("peak_mb", "    its peak memory (MB)"))
        },
        "update_1_s": "after 1 article added",
        "update_1_peak_mb": "  its peak memory (MB)",
        "update_100_s": "after 100 articles added",
        "update_100_peak_mb": "  its peak memory (MB)",
    }
    rows += [(labels[k], f"{v:.2f} s" if k.endswith("_s") else f"{v:.0f}") for k, v in reopen.items()]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        out.write(f"{k:<{width}}  {v}\n")
    return 0
