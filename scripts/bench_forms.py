#!/usr/bin/env python3
"""Measure reading speed for each input form, against extraction of the same articles.

    python scripts/bench_forms.py [--articles 500] [--repeat 3]

Generates synthetic peacekeeping articles (deterministic) and writes the same articles in
every form of the contract: plain text, Markdown with front matter, saved pages (with menus,
a cookie banner, share bar, related links and a footer around the text), one RSS feed,
JSON Lines (plain and with HTML bodies), a JSON array, CSV. Reports, per form, articles per
second read (best of --repeat) and reading as a share of extraction on one core; for pages,
also the time trafilatura alone takes on the same pages (a page should cost no more).
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import os
import tempfile
import time
from pathlib import Path

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | The Example Ledger</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="The Example Ledger">
<meta property="article:published_time" content="{date}T08:00:00+07:00">
<link rel="canonical" href="{url}"></head><body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/asia">Asia</a></li></ul></nav></header>
<main><article><h1>{title}</h1>{paragraphs}
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div></article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Another story</a></li><li><a href="/b">A third story</a></li></ul></aside></main>
<footer><p>Copyright 2024 The Example Ledger. All rights reserved.</p></footer>
<script>window.track = function () {{ return 1; }};</script></body></html>
"""


def _paragraphs_html(text: str) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))


def write_forms(root: Path, articles: list) -> dict[str, Path]:
    """The same articles in every form; returns form -> folder."""
    folders = {}
    for form in ("markdown", "page", "feed", "jsonl", "jsonl-html", "json", "csv"):
        folders[form] = root / form
        folders[form].mkdir(parents=True)
    records = []
    for i, a in enumerate(articles):
        url = f"https://example.org/news/{i}"
        date = a.published_iso or ""
        records.append({"title": a.title, "date": date, "url": url, "source": "Example Wire", "text": a.text})
        (folders["markdown"] / f"{i:05d}.md").write_text(
            f"---\ntitle: {json.dumps(a.title)}\ndate: {date}\nurl: {url}\nsource: Example Wire\n---\n{a.text}\n",
            encoding="utf-8",
        )
        page = PAGE.format(title=html.escape(a.title), date=date, url=url, paragraphs=_paragraphs_html(a.text))
        (folders["page"] / f"{i:05d}.html").write_text(page, encoding="utf-8")
    items = "".join(
        f"<item><title>{html.escape(r['title'])}</title><link>{r['url']}</link><pubDate>{r['date']}T08:00:00+07:00</pubDate>"
        f"<description>Teaser.</description><content:encoded><![CDATA[{_paragraphs_html(r['text'])}]]></content:encoded></item>"
        for r in records
    )
    (folders["feed"] / "feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Example Wire</title>{items}</channel></rss>",
        encoding="utf-8",
    )
    with open(folders["jsonl"] / "dump.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(folders["jsonl-html"] / "dump.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({**r, "text": _paragraphs_html(r["text"])}, ensure_ascii=False) + "\n")
    (folders["json"] / "dump.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    with open(folders["csv"] / "dump.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return folders


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        from pktui.bench.synthetic import write_corpus
        from pktui.corpus import read_corpus
        from pktui.extract import extract_article

        plain = Path(tmp) / "plain"
        write_corpus(plain, args.articles)
        articles = read_corpus([plain]).articles
        n = len(articles)
        folders = {"plain": plain, **write_forms(Path(tmp) / "forms", articles)}

        extract_article(articles[0])  # domain data loaded once, outside the timing
        extract_s = best_of(1, lambda: [extract_article(a) for a in articles])
        print(f"{n} articles; extraction on one core: {extract_s:.2f} s ({n / extract_s:.0f} articles/s)")

        import trafilatura

        pages = [p.read_bytes() for p in sorted(folders["page"].iterdir())]
        params = {"original_date": True, "extensive_search": False}
        read_corpus([folders["page"] / "00000.html"])  # imports (trafilatura, htmldate) outside the timing
        traf_s = best_of(
            args.repeat,
            lambda: [
                trafilatura.bare_extraction(
                    p, with_metadata=True, include_comments=False, date_extraction_params=params
                )
                for p in pages
            ],
        )
        print(f"{'form':<11} {'read s':>7} {'articles/s':>10} {'of extraction':>13}")
        for form, folder in folders.items():
            got = len(read_corpus([folder]).articles)
            assert got == n, (form, got)
            read_s = best_of(args.repeat, lambda folder=folder: read_corpus([folder]))
            print(f"{form:<11} {read_s:7.3f} {n / read_s:10.0f} {100 * read_s / extract_s:12.1f}%")
        print(f"trafilatura alone on the {n} pages: {traf_s:.3f} s ({n / traf_s:.0f} pages/s)")
        print("(timings on a shared machine are noisy: compare ratios, re-measure on a quiet one)")


if __name__ == "__main__":
    main()
