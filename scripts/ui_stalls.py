#!/usr/bin/env python3
"""How long the browser's UI thread is ever held: a user's session, timed from inside.

    python scripts/ui_stalls.py [--size 160x45] [-- PATH ...]

Runs the real app headless on PATH (the bundled corpus when none) and, while a script of keys a
user would press plays (open, search, move through the results, the entities, the timeline, an
entity's detail, the figures view), a ticker on the UI thread's event loop wakes every 5 ms and
records how late it woke: a late tick is a stretch of time the screen could not answer a key.
Prints the worst stalls and the step during which each happened. Measures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

TICK = 0.005

#: (what the user does, keys); "wait" lets the app settle
SESSION: list[tuple[str, list[str]]] = [
    ("type a search", ["slash", *"unisfa abyei"]),
    ("wait for results", ["wait"]),
    ("move through the results", ["down"] * 8),
    ("open a result", ["enter"]),
    ("entities", ["2"]),
    ("page through the entities", ["pagedown"] * 4),
    ("open an entity", ["enter"]),
    ("timeline", ["3"]),
    ("page through the timeline", ["pagedown"] * 4),
    ("articles", ["1"]),
    ("move through the articles", ["down"] * 8),
    ("help", ["question_mark", "escape"]),
    ("figures view", ["f"]),
    ("wait for figures", ["wait"]),
    ("move through the figures", ["down"] * 6),
    ("close figures", ["escape"]),
]


class Ticker:
    """Wakes every TICK on the event loop; records (lateness, step) of each wake."""

    def __init__(self) -> None:
        self.step = "launch"
        self.late: list[tuple[float, str]] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            t0 = time.perf_counter()
            await asyncio.sleep(TICK)
            self.late.append((time.perf_counter() - t0 - TICK, self.step))

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


async def session(paths: list[str], size: tuple[int, int]) -> Ticker:
    from pktui.tui.app import PktuiApp
    from pktui.tui.config import Config

    app = PktuiApp(paths or None, config=Config(Path("/nonexistent/pktui/config.yaml")))
    ticker = Ticker()
    async with app.run_test(size=size) as pilot:
        ticker.start()
        ticker.step = "open and load"
        for _ in range(3000):
            if app.ready:
                break
            await pilot.pause(0.02)
        await pilot.pause(0.5)
        for step, keys in SESSION:
            ticker.step = step
            for key in keys:
                if key == "wait":
                    await pilot.pause(1.0)
                    await app.workers.wait_for_complete()
                else:
                    await pilot.press(key)
                    await pilot.pause(0.05)
        ticker.step = "settle"
        await pilot.pause(0.5)
        ticker.stop()
    return ticker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="160x45")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.split("x"))
    ticker = asyncio.run(session(args.paths, (cols, rows)))
    late = [ms * 1000 for ms, _ in ticker.late]
    worst = sorted(ticker.late, reverse=True)[:8]
    print(
        f"{len(late)} ticks; UI thread late by p50 {statistics.median(late):.1f} ms, "
        f"p99 {sorted(late)[int(len(late) * 0.99)]:.1f} ms, max {max(late):.0f} ms"
    )
    for seconds, step in worst:
        print(f"  {seconds * 1000:7.0f} ms  during: {step}")


if __name__ == "__main__":
    main()
