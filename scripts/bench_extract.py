#!/usr/bin/env python3
"""Measure extraction throughput and the time to reopen a large corpus from its index.

    python scripts/bench_extract.py [--articles 2000] [--reopen 20000]

Generates synthetic peacekeeping articles (deterministic), then reports:
  - extraction on one core (articles/s, by the wall clock and by CPU time),
  - extraction with all cores through the loader's process pool (articles/s),
  - time to index a corpus of --reopen articles, then to reopen it from its index (scan + open).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--reopen", type=int, default=20000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        from pktui.bench.synthetic import write_corpus
        from pktui.corpus import read_corpus
        from pktui.extract import extract_article
        from pktui.knowledge.loader import extract_corpus

        small = Path(tmp) / "small"
        write_corpus(small, args.articles)
        articles = read_corpus([small]).articles
        extract_article(articles[0])  # load the domain data once
        t, cpu = time.perf_counter(), time.process_time()
        n_facts = sum(len(extract_article(a).facts) for a in articles)
        one = len(articles) / (time.perf_counter() - t)
        one_cpu = len(articles) / (time.process_time() - cpu)
        print(f"one core:  {one:7.1f} articles/s  ({len(articles)} articles, {n_facts} facts)")
        # on a shared machine the wall clock counts other processes' turns; CPU time does not
        print(f"one core:  {one_cpu:7.1f} articles/s of CPU time (what the rate would be on an idle core)")
        t = time.perf_counter()
        extract_corpus(articles, use_cache=False)
        allc = len(articles) / (time.perf_counter() - t)
        print(f"all cores: {allc:7.1f} articles/s  ({os.cpu_count()} cores)")

        from pktui.archive import open_archive

        big = Path(tmp) / "big"
        write_corpus(big, args.reopen)
        t = time.perf_counter()
        open_archive([big], with_search=False).close()
        cold = time.perf_counter() - t
        t = time.perf_counter()
        archive = open_archive([big], with_search=False)  # the knowledge base, lazily; search apart
        warm = time.perf_counter() - t
        kb = archive.kb
        print(
            f"{args.reopen} articles: first index {cold:.1f} s (extraction), reopen from the index {warm:.2f} s "
            f"({len(kb.facts)} facts, {len(kb.entities)} entities)"
        )


if __name__ == "__main__":
    main()
