"""The browser: a keyboard-driven Textual app over the knowledge base.

``run(paths, theme=...)`` is what ``pktui [PATH ...] [--theme NAME]`` calls. Textual and
the app are imported only here, when the browser is opened.
"""

from __future__ import annotations


def run(
    paths: list[str] | None = None, theme: str | None = None, use_cache: bool = True, options=None, corrections=None
) -> int:
    """Open the browser on ``paths`` (the bundled sample when none); return the exit status.
    ``options``: how to read the corpus (:class:`pktui.corpus.ReadOptions`; default: the
    config's ``fields:``); ``corrections``: the ledger (default: beside the corpus)."""
    import sys

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            "pktui: error: the browser needs a terminal (standard input and output); "
            "from a script or a pipe use 'pktui search', 'pktui export' or 'pktui figures'",
            file=sys.stderr,
        )
        return 2
    if options is None:
        from pktui.userconfig import read_options

        options, _errors = read_options()  # the browser shows the config's errors itself
    from pktui.tui.app import PktuiApp

    app = PktuiApp(paths, theme=theme, use_cache=use_cache, options=options, corrections=corrections)
    app.run()
    code = app.return_code or 0
    thread = app.loader_thread
    if thread is not None and thread.is_alive():
        # still extracting (a huge article, thousands of new ones): quit now, do not wait for it
        # (the cancel flag stops it between articles, but one article can take a minute)
        thread.join(0.2)
        if thread.is_alive():
            import os
            import sys

            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return code
