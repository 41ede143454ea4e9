"""Command line: ``pktui [PATH ...]``, ``search``, ``export``, ``index``, ``figures``, ``bench``.

Exit status 0 on success, 2 for bad usage, 1 for anything else, always with a message on
stderr. Files that could not be read are named one per line on stderr; the rest loads.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn, Protocol

from pktui import __version__
from pktui.text import one_line

if TYPE_CHECKING:
    from pktui.model import LoadProblem

SUBCOMMANDS = ("search", "export", "index", "figures", "bench", "correct", "open")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit 2 with one clear line, like argparse
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="pktui",
        description="Read a news corpus as facts: browse, search and export what the articles say.",
        epilog="With no command, opens the browser on PATHs (the bundled sample corpus when none). "
        "Run 'pktui COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"pktui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p_open = sub.add_parser("open", help="open the browser (the default command)")
    _add_paths(p_open)
    p_open.add_argument("--theme", help="colour theme (e.g. textual-dark, textual-light, nord, monokai)")
    p_open.add_argument("--no-cache", action="store_true", help="extract again, ignoring the cache")

    p_search = sub.add_parser("search", help="fuzzy search across facts, ranked, each with its passage")
    p_search.add_argument("query", metavar="QUERY")
    _add_paths(p_search)
    p_search.add_argument("--limit", type=_positive_int, default=20, metavar="N", help="at most N results (20)")
    p_search.add_argument("--json", action="store_true", help="print a JSON list of fact objects")
    p_search.add_argument("--no-cache", action="store_true", help=argparse.SUPPRESS)

    p_export = sub.add_parser("export", help="export the whole knowledge base")
    _add_paths(p_export)
    p_export.add_argument("--format", choices=("json", "yaml"), required=True)
    p_export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p_export.add_argument("--no-cache", action="store_true", help="extract again, ignoring the cache")

    p_index = sub.add_parser(
        "index", help="bring the corpus index up to date (new and changed articles), with progress"
    )
    _add_paths(p_index)
    p_index.add_argument(
        "-j", "--jobs", type=_positive_int, default=None, metavar="N", help="worker processes (all cores)"
    )
    p_index.add_argument("--no-cache", action="store_true", help="make the index again: re-extract every article")

    p_fig = sub.add_parser("figures", help="print how each reported number changed, as a table")
    _add_paths(p_fig)
    p_fig.add_argument("--json", action="store_true", help="print the series as JSON")
    p_fig.add_argument("--no-cache", action="store_true", help=argparse.SUPPRESS)

    p_bench = sub.add_parser("bench", help="measure load, index and per-keystroke search latency")
    _add_paths(p_bench)
    p_bench.add_argument("--queries", metavar="FILE", help="one query a line (default: a bundled set)")
    p_bench.add_argument("--json", action="store_true", help="print one JSON object")
    p_bench.add_argument(
        "--synthetic",
        type=_positive_int,
        metavar="N",
        help="N synthetic articles (written once under the cache and reused), indexed, with the reopen and update figures",
    )
    p_bench.add_argument(
        "--no-reopen", action="store_true", help="skip the reopen and update figures (each in a new process)"
    )
    p_bench.add_argument(
        "--synthetic-facts",
        type=_positive_int,
        metavar="N",
        help="benchmark the index on N synthetic facts (no extraction)",
    )
    from pktui.commands.correct import add_correct_parser

    add_correct_parser(sub, _add_paths)
    return parser


def _add_paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders (default: bundled sample)")
    p.add_argument(
        "--corrections",
        metavar="FILE",
        help="the corrections ledger (default: pktui-corrections.yaml in the first corpus folder)",
    )
    p.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=FIELD",
        help="read an article's NAME (text, title, date, url, source, author) from the records' FIELD "
        "(e.g. text=body_html; several: date=pub,released; nested: source=site.name)",
    )
    p.add_argument(
        "--follow-links", action="store_true", help="follow symbolic links that lead out of the corpus folders"
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _normalise_argv(argv: list[str]) -> list[str]:
    """``pktui PATH ...`` means ``pktui open PATH ...``; a first word that is neither a
    command nor an existing path is a mistake (``pktui serach x``), not a folder to open."""
    if not argv:
        return ["open"]
    first = argv[0]
    if first in SUBCOMMANDS or first in ("-h", "--help", "--version"):
        return argv
    if first and not first.startswith("-") and not os.path.lexists(first):
        raise UsageError(_unknown_word(first))
    return ["open", *argv]


def _unknown_word(word: str) -> str:
    from difflib import get_close_matches

    shown = one_line(word)
    close = get_close_matches(word.lower(), SUBCOMMANDS, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else " (commands: " + ", ".join(SUBCOMMANDS) + ")"
    return f"unknown command or path {shown!r}{hint}"


class _HasProblems(Protocol):
    """A knowledge base, in memory or the store: what it met reading the corpus."""

    @property
    def problems(self) -> Sequence[LoadProblem]: ...


#: knowledge bases this run opened, with how many of their problems were said
_REPORTED: list[tuple[_HasProblems, int]] = []


def report_problems(kb) -> None:
    for problem in kb.problems:
        print(f"pktui: {problem.line()}", file=sys.stderr)
    report_summary(getattr(kb, "summary", None))
    _REPORTED.append((kb, len(kb.problems)))


def report_later_problems() -> None:
    """Problems met after the corpus was opened: the index checks each row as a command reads
    it (an export streams them), so a bad row is named at the end instead of left out silently."""
    while _REPORTED:
        kb, said = _REPORTED.pop()
        for problem in list(kb.problems)[said:]:
            print(f"pktui: {problem.line()}", file=sys.stderr)


def report_summary(summary) -> None:
    """Duplicates loaded once, hidden files skipped: one note line when there are any."""
    for note in summary.notes() if summary is not None else []:
        print(f"pktui: note: {note}", file=sys.stderr)


def _read_options(args: argparse.Namespace):
    """Record field names (config ``fields:``, then ``--field``) and ``--follow-links``."""
    from pktui.corpus import FieldSpecError
    from pktui.userconfig import read_options

    try:
        options, errors = read_options(args.field, args.follow_links)
    except FieldSpecError as exc:
        raise UsageError(f"--field: {exc}") from None
    for error in errors:
        print(f"pktui: {one_line(error)}", file=sys.stderr)
    return options


def _check_paths(paths: list[str]) -> None:
    """Paths that cannot be read at all (empty, missing, a FIFO, a device) are named; when
    none is left, that is bad usage (exit 2), before anything is loaded."""
    if not paths:
        return
    from pktui.corpus import check_named_path

    problems = [p for p in (check_named_path(raw) for raw in paths) if p is not None]
    if len(problems) == len(paths):
        lines = [f"{p.path}: {p.reason}" for p in problems]
        raise UsageError(one_line("; ".join(lines)) + ": nothing to read")


def _ledger_path(args: argparse.Namespace):
    from pathlib import Path

    from pktui.knowledge.ledger import default_ledger_path

    return Path(args.corrections) if getattr(args, "corrections", None) else default_ledger_path(args.paths)


def _say_waiting(holder: str) -> None:
    print(f"pktui: waiting: {holder} is updating this corpus's index", file=sys.stderr, flush=True)


def _open(paths: list[str], no_cache: bool, *, search: bool = False, corrections=None, options=None, **kwargs):
    """The corpus from its index (brought up to date first), with the ledger at
    ``corrections`` applied, as ``Archive(kb, index, summary)``."""
    from pktui.archive import open_archive

    _check_paths(paths)
    from pktui.commands.progress import ProgressBar

    with ProgressBar(sys.stderr) as progress:
        archive = open_archive(
            paths or None,
            options=options,
            corrections=corrections,
            use_store=not no_cache,
            progress=progress,
            on_wait=_say_waiting,
            with_search=search,
            **kwargs,
        )
    report_problems(archive.kb)
    if not archive.summary.articles:
        raise RuntimeError("no articles could be read" + (f" from {' '.join(paths)}" if paths else ""))
    return archive


def _load(paths: list[str], no_cache: bool, corrections=None, options=None):
    return _open(paths, no_cache, corrections=corrections, options=options).kb


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args_list = _normalise_argv(list(sys.argv[1:] if argv is None else argv))
    except UsageError as exc:
        print(f"pktui: error: {exc}", file=sys.stderr)
        return 2
    try:
        try:
            return _dispatch(build_parser().parse_args(args_list))
        finally:
            report_later_problems()
    except KeyboardInterrupt:
        print("pktui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except UsageError as exc:
        print(f"pktui: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        print(f"pktui: error: {one_line(str(exc)) or type(exc).__name__}", file=sys.stderr)
        return 1


def _index(paths: list[str], *, jobs: int | None, rebuild: bool, options=None) -> int:
    """``pktui index``: bring the corpus index up to date (or make it again), with progress."""
    archive = _open(paths, no_cache=False, options=options, workers=jobs, rebuild=rebuild)
    s = archive.summary
    where = f"; index in {s.index}" if s.index else " (in memory: no index could be written)"
    print(
        f"indexed {s.articles} articles: {s.extracted} extracted, {s.unchanged} unchanged, {s.removed} removed "
        f"in {s.seconds:.2f} s ({s.facts} facts, {s.entities} entities){where}",
        file=sys.stderr,
    )
    archive.close()
    return 0


def _open_browser(args: argparse.Namespace, options) -> int:
    """The browser opens only on a corpus with something to read in it (and only on a
    terminal: :func:`pktui.tui.run` refuses otherwise)."""
    _check_paths(args.paths)
    if args.paths:
        from pktui.corpus.walk import has_article_file

        if not has_article_file(args.paths, follow_links=args.follow_links):
            raise UsageError(f"no article files in {one_line(' '.join(args.paths))}: nothing to open")
    from pktui.tui import run

    return run(
        args.paths or None,
        theme=args.theme,
        use_cache=not args.no_cache,
        options=options,
        corrections=_ledger_path(args),
    )


def _dispatch(args: argparse.Namespace) -> int:
    cmd = args.command
    options = _read_options(args) if hasattr(args, "field") else None
    if cmd == "open":
        return _open_browser(args, options)
    if cmd == "search":
        from pktui.commands.search import run_search

        archive = _open(args.paths, args.no_cache, search=True, corrections=_ledger_path(args), options=options)
        if archive.index is None:
            raise RuntimeError(archive.search_error or "search unavailable")
        return run_search(archive.kb, args.query, args.limit, args.json, out=sys.stdout, index=archive.index)
    if cmd == "export":
        from pktui.commands.export import write_export

        kb = _load(args.paths, args.no_cache, corrections=_ledger_path(args), options=options)
        write_export(kb, args.format, args.output)
        return 0
    if cmd == "index":
        return _index(args.paths, jobs=args.jobs, rebuild=args.no_cache, options=options)
    if cmd == "figures":
        from pktui.commands.figures import run_figures

        kb = _load(args.paths, args.no_cache, corrections=_ledger_path(args), options=options)
        return run_figures(kb, as_json=args.json, out=sys.stdout)
    if cmd == "bench":
        from pktui.bench import run_bench

        if args.synthetic and args.paths:
            raise UsageError("--synthetic generates its own corpus: give no PATH")
        _check_paths(args.paths)
        return run_bench(
            args.paths or None,
            args.queries,
            args.synthetic,
            args.json,
            out=sys.stdout,
            synthetic_facts=args.synthetic_facts,
            options=options,
            reopen_figures_wanted=not args.no_reopen,
        )
    if cmd == "correct":
        return _correct(args, options)
    raise UsageError(f"unknown command {cmd!r}")  # pragma: no cover


def _correct(args: argparse.Namespace, options=None) -> int:
    from pktui.commands.correct import CorrectionRefused, run_correct, split_positionals

    try:
        split_positionals(args)
    except CorrectionRefused as exc:
        raise UsageError(str(exc)) from None
    ledger = _ledger_path(args)

    def open_corpus():
        return _open(args.paths, False, corrections=ledger, options=options)

    try:
        return run_correct(args, ledger, open_corpus, sys.stdout)
    except CorrectionRefused as exc:
        raise UsageError(str(exc)) from None
