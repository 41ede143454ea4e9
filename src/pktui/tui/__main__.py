"""``python -m pktui.tui [PATH ...] [--theme NAME] [--no-cache]``: the browser alone."""

from __future__ import annotations

import argparse

from pktui.tui import run

parser = argparse.ArgumentParser(prog="python -m pktui.tui", description="Open the pktui browser.")
parser.add_argument("paths", nargs="*", metavar="PATH")
parser.add_argument("--theme")
parser.add_argument("--no-cache", action="store_true")
args = parser.parse_args()
raise SystemExit(run(args.paths or None, theme=args.theme, use_cache=not args.no_cache))
