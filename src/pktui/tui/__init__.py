"""The browser: a keyboard-driven Textual app over the knowledge base.

``run(paths, theme=...)`` is what ``pktui [PATH ...] [--theme NAME]`` calls. Textual and
the app are imported only here, when the browser is opened.
"""

from __future__ import annotations


def run(paths: list[str] | None = None, theme: str | None = None, use_cache: bool = True) -> int:
    """Open the browser on ``paths`` (the bundled sample when none); return the exit status."""
    from pktui.tui.app import PktuiApp

    app = PktuiApp(paths, theme=theme, use_cache=use_cache)
    app.run()
    return app.return_code or 0
