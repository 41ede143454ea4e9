#!/usr/bin/env python3
"""Per-keystroke latency: pktui's search index against ``fzf --filter`` on the same facts.

Every fact becomes one line (kind, label and its sentence) in a temporary file; each
keystroke of each query is then searched by ``fzf --filter QUERY < file`` and by
``SearchIndex.search(QUERY, limit=50)``. fzf's time includes starting the process and
reading the file, as a shell pipeline using it would; pktui's excludes building the index
(reported separately).

    scripts/bench_fzf.py --facts 100000          # synthetic knowledge base
    scripts/bench_fzf.py data/articles           # a corpus, extracted as usual
    scripts/bench_fzf.py --facts 1000000 --max-keystrokes 150
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", help="corpus files or folders (default: bundled sample)")
    ap.add_argument("--facts", type=int, help="use a synthetic knowledge base of N facts instead")
    ap.add_argument("--queries", help="one query a line (default: pktui's bundled bench queries)")
    ap.add_argument("--max-keystrokes", type=int, default=300, help="sample at most this many keystrokes")
    ap.add_argument("--fzf", default=shutil.which("fzf") or "/usr/bin/fzf")
    args = ap.parse_args(argv)

    from pktui.bench import default_queries, percentile, read_queries
    from pktui.search import SearchIndex
    from pktui.text import one_line

    if not os.path.exists(args.fzf):
        print(f"fzf not found ({args.fzf}); install it (apt-get install -y fzf)", file=sys.stderr)
        return 1
    if args.facts:
        from pktui.bench.synthetic import synthetic_kb

        kb = synthetic_kb(args.facts)
    else:
        from pktui.knowledge.loader import load_knowledge

        kb = load_knowledge(args.paths or None)
    t0 = time.perf_counter()
    index = SearchIndex.build(kb)
    index_s = time.perf_counter() - t0
    gc.freeze()  # as pktui bench does: no full collections walking the knowledge base

    queries = read_queries(args.queries) if args.queries else default_queries()
    keystrokes = [q[:i] for q in queries for i in range(1, len(q) + 1)]
    if len(keystrokes) > args.max_keystrokes:
        step = len(keystrokes) / args.max_keystrokes
        keystrokes = [keystrokes[int(i * step)] for i in range(args.max_keystrokes)]

    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as fh:
        for f in kb.facts:
            a = kb.article(f.article)
            s, e = f.sentence if f.sentence else (f.start, f.end)
            sentence = a.text[s:e] if a is not None else ""
            fh.write(one_line(f"{f.id} {f.kind}: {f.text} | {sentence}") + "\n")
        lines_path = fh.name
    try:
        fzf_ms: list[float] = []
        ours_ms: list[float] = []
        for q in keystrokes:
            with open(lines_path, "rb") as stdin:
                t0 = time.perf_counter()
                subprocess.run(
                    [args.fzf, "--filter", q],
                    stdin=stdin,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=False,
                )
                fzf_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            index.search(q, limit=50)
            ours_ms.append((time.perf_counter() - t0) * 1000)
    finally:
        os.unlink(lines_path)

    def row(name: str, ms: list[float]) -> str:
        return f"{name:<8} p50 {percentile(ms, 50):8.2f} ms   p95 {percentile(ms, 95):8.2f} ms   max {max(ms):8.2f} ms"

    print(f"{len(kb.facts):,} facts, {len(keystrokes)} keystrokes; pktui index built in {index_s:.2f} s")
    print(row("fzf", fzf_ms))
    print(row("pktui", ours_ms))
    r50 = percentile(fzf_ms, 50) / max(percentile(ours_ms, 50), 1e-9)
    r95 = percentile(fzf_ms, 95) / max(percentile(ours_ms, 95), 1e-9)
    print(f"ratio fzf/pktui: p50 {r50:.1f}x, p95 {r95:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
