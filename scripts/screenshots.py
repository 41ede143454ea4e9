#!/usr/bin/env python3
"""Render the browser's main views from the bundled corpus into screenshots/*.svg.

    python scripts/screenshots.py [--out screenshots] [PATH ...]

Runs the real app headless (real extraction and search engine), drives it with keys and
saves an SVG per view. Look at them as PNG with ``rsvg-convert -o x.png screenshots/overview.svg``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

VIEWS = [
    # name, size, keys (after the corpus is loaded), what it shows
    ("overview", (160, 45), [], "three columns: articles, the newest article, its facts"),
    ("search", (160, 45), ["slash", *"lacrox visit", "enter"], "a search and its highlighted passage"),
    ("entity", (160, 45), ["2", ("find", "entities", "UNISFA"), "enter"], "UNISFA: detail, filtered timeline"),
    ("timeline", (160, 45), ["3", ("find", "timeline", "2018-09"), "enter", "3"], "the timeline, 2018-09 open"),
    ("narrow", (80, 24), [], "80×24: one pane at a time"),
    ("narrow-results", (80, 24), ["slash", *"viet nam personnel", "down"], "80×24: results and a preview"),
    ("narrow-source", (80, 24), ["slash", *"hoang kim phung", "enter"], "80×24: a search result's passage"),
    ("figures", (160, 45), ["f", "right"], "the figures view, a series charted"),
    ("help", (100, 34), ["question_mark"], "the help screen"),
    (
        "corrections",
        (80, 24),
        [
            "2",
            ("find", "entities", "Department"),
            "m",
            *"ministry nat",
            "enter",
            "5",
            ("find", "facts", "1,100"),
            "d",
            "c",
        ],
        "80×24: a merge and a rejected fact in the corrections view",
    ),
]


async def render(name: str, size: tuple[int, int], keys: list, out: Path, paths: list[str]) -> Path:
    from pktui.tui.app import PktuiApp
    from pktui.tui.config import Config

    app = PktuiApp(paths or None, use_cache=False, config=Config(Path("/nonexistent/config.yaml")))
    async with app.run_test(size=size) as pilot:
        for _ in range(600):
            if app.ready:
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        app.browser.query_one("#search-input").cursor_blink = False
        for key in keys:
            if isinstance(key, tuple):  # ("find", list id, text): j until that row is highlighted
                _, list_id, text = key
                lst = app.browser.query_one(f"#{list_id}")
                for _ in range(200):
                    if lst.highlighted is not None and text in lst.texts()[lst.highlighted]:
                        break
                    await pilot.press("j")
                continue
            await pilot.press(key)
            if key == "enter" or len(key) == 1:
                await pilot.pause(0.06)
                await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        svg = app.export_screenshot(title=f"pktui — {name}")
    # librsvg (rsvg-convert) drops leading spaces of text runs unless told to preserve them
    svg = svg.replace("<svg ", '<svg xml:space="preserve" ', 1)
    path = out / f"{name}.svg"
    path.write_text(svg, encoding="utf-8")
    return path


#: Views of a folder mixing every input form (the test suite's fixture, written by the team):
#: outlets beside dates in the list, the metadata above the article.
MIXED_VIEWS = [
    ("mixed", (160, 45), ["down", "enter"], "a mixed folder: pages, feeds, records, notes, plain text"),
]


def mixed_corpus() -> str:
    """The test suite's mixed folder, written to a temporary place."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.mixed_corpus import build_mixed_corpus

    return str(build_mixed_corpus(Path(tempfile.mkdtemp(prefix="pktui-shots-mixed-")) / "corpus"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "screenshots"))
    parser.add_argument("--only", nargs="*", help="only these views")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="pktui-shots-"))
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="pktui-shots-config-")
    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="pktui-shots-data-")  # the ledger of the sample
    os.environ.pop("NO_COLOR", None)
    for name, size, keys, what in VIEWS:
        if args.only and name not in args.only:
            continue
        path = asyncio.run(render(name, size, keys, out, args.paths))
        print(f"{path}  {size[0]}×{size[1]}  {what}")
    for name, size, keys, what in MIXED_VIEWS:
        if args.only and name not in args.only:
            continue
        path = asyncio.run(render(name, size, keys, out, [mixed_corpus()]))
        print(f"{path}  {size[0]}×{size[1]}  {what}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
