"""The pktui Textual app: loads the knowledge base in a worker and hosts the browser screen.

The window is painted before anything is read: the corpus is loaded (and the search index
built) in a thread worker that reports progress, while keys keep working.
"""

from __future__ import annotations

import contextlib
import gc
import inspect
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import App
from textual.message import Message
from textual.widgets import Input

from pktui.text import one_line
from pktui.tui.commands import PktuiCommands
from pktui.tui.config import Config, load_config
from pktui.tui.keymap import BY_ID, bindings
from pktui.tui.messages import ArticlesListed, RunCommand
from pktui.tui.screens.browser import BrowserScreen
from pktui.tui.widgets.bars import SearchInput

if TYPE_CHECKING:
    from pktui.knowledge.base import KnowledgeBase

Loader = Callable[..., "KnowledgeBase"]
#: builder(kb, progress=callback(done, total)) -> a search index
IndexBuilder = Callable[..., Any]
#: seconds the search index waits for the article list to be drawn before it opens anyway
ARTICLES_FIRST = 2.0


def default_loader(
    paths: list[str] | None,
    *,
    progress=None,
    use_cache: bool = True,
    options=None,
    cancel: threading.Event | None = None,
    corrections: Path | None = None,
) -> KnowledgeBase:
    """The corpus from its index, brought up to date (extraction, when needed, reports
    ``progress`` and stops when ``cancel`` is set), the ledger at ``corrections`` applied; in
    memory with ``use_cache=False``; ``options``: how to read it (:class:`pktui.corpus.ReadOptions`).
    ``kb.archive`` is the :class:`pktui.archive.Archive` (corrections open it again). The search
    index opened with it waits on the knowledge base for :func:`default_index`."""
    from pktui.archive import open_archive

    kb = open_archive(
        paths or None,
        options=options,
        corrections=corrections,
        use_store=use_cache,
        progress=progress,
        cancel=cancel,
        with_search=False,
        trust_index=True,  # shown at once; the app scans the folder after (PktuiApp._check_folder)
    ).kb
    from pktui.textsplit import prepare

    prepare()  # here, not on the UI thread when the first article is shown
    gc.freeze()  # see _out_of_collectors_way; a full collection here would hold the UI 0.3 s per 100k facts
    return kb


def default_index(kb: KnowledgeBase, progress=None) -> Any:
    from pktui.archive import open_search  # ImportError: the app says "search unavailable"

    archive = getattr(kb, "archive", None)  # set by open_archive: where its search segments are
    index = open_search(archive) if archive is not None else None
    if index is None:
        from pktui.search import SearchIndex

        index = SearchIndex.build(kb, progress=progress)
    _out_of_collectors_way()
    return index


def _out_of_collectors_way() -> None:
    """The knowledge base and the index live as long as the app: move them out of the
    cyclic collector's way, or its full collections pause the UI (filling the lists, typing)
    for 100 ms and more on large corpora. (What was frozen after loading is not scanned.)"""
    gc.collect()
    gc.freeze()


def read_escape_digits_as_alt() -> None:
    """Esc then a digit, typed quickly, is what a terminal sends for Option+digit in WezTerm on
    macOS, and Textual turns it into that symbol ("Esc 2" typed "™" into the search box): here
    it stays Esc and the digit (the pane keys), read by the search box as both."""
    from textual._ansi_sequences import ANSI_SEQUENCES_KEYS  # (the only place that table is)

    for ch in "0123456789-=§":
        if isinstance(ANSI_SEQUENCES_KEYS.get(f"\x1b{ch}"), str):
            del ANSI_SEQUENCES_KEYS[f"\x1b{ch}"]  # type: ignore[attr-defined]


class PktuiApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "pktui"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {PktuiCommands}

    class Loaded(Message):
        """Progress: ``done`` of ``total`` articles read (or indexed, when ``what`` says so)."""

        def __init__(self, done: int, total: int, what: str = "reading") -> None:
            super().__init__()
            self.done, self.total, self.what = done, total, what

    def __init__(
        self,
        paths: list[str] | None = None,
        *,
        theme: str | None = None,
        use_cache: bool = True,
        config: Config | None = None,
        config_path: Path | None = None,
        loader: Loader | None = None,
        index_builder: IndexBuilder | None = None,
        options: Any = None,
        corrections: Path | None = None,
    ) -> None:
        """``corrections``: the ledger (default: ``pktui-corrections.yaml`` in the first corpus
        folder, or under ``$XDG_DATA_HOME/pktui/`` for the bundled sample)."""
        read_escape_digits_as_alt()
        super().__init__()
        self.paths = list(paths) if paths else None
        self.use_cache = use_cache
        self.read_options = options  # record field names, --follow-links (pktui.corpus.ReadOptions)
        self.loader = loader or default_loader
        self.index_builder = index_builder or default_index
        self.config = config if config is not None else load_config(config_path, known_ids=set(BY_ID))
        self.requested_theme = theme or self.config.theme
        self.kb: KnowledgeBase | None = None
        self.index: Any = None
        self.index_error: str | None = None
        self.ready = False  # knowledge base loaded and index attempted
        self._last_progress = 0.0
        self.cancel = threading.Event()  # set on quit: loading stops
        self.articles_listed = threading.Event()  # the browser's article list is drawn
        self.loader_thread: threading.Thread | None = None
        if corrections is None:
            from pktui.knowledge.ledger import default_ledger_path

            corrections = default_ledger_path(self.paths)
        self.ledger_path: Path | None = Path(corrections)
        self.archive: Any = None  # the open corpus (pktui.archive.Archive); None with a test loader
        self.correcting: str | None = None  # what the correction worker is doing
        self.next_note: str | None = None  # the note the next correction carries (; asks for it)

    @property
    def browser(self) -> BrowserScreen:
        return self.get_screen("browser", BrowserScreen)

    def on_mount(self) -> None:
        self.install_screen(BrowserScreen(), "browser")
        self.push_screen("browser")
        if self.config.keys:
            self.set_keymap(self.config.keys)
        if self.requested_theme:
            if self.requested_theme in self.available_themes:
                self.theme = self.requested_theme
            else:
                names = ", ".join(sorted(self.available_themes))
                self.notify(
                    f"Unknown theme {one_line(self.requested_theme)!r}; available: {names}",
                    severity="error",
                    markup=False,
                    timeout=10,
                )
        for error in self.config.errors:
            self.notify(one_line(error), severity="error", markup=False, timeout=15)
        self.call_after_refresh(self._start_loading)

    def _start_loading(self) -> None:
        """Load in a daemon thread of our own, not a worker: quitting never waits for it (a
        worker's thread is joined at exit, and one long article can take a minute)."""
        self.loader_thread = threading.Thread(target=self._load, name="pktui-load", daemon=True)
        self.loader_thread.start()

    def _from_thread(self, callback: Callable[..., object], *args: object) -> None:
        if self.cancel.is_set() or not self.is_running:
            return  # quitting: nothing more to show
        with contextlib.suppress(RuntimeError):  # the app stopped meanwhile
            self.call_from_thread(callback, *args)

    def _call_loader(self) -> KnowledgeBase:
        kwargs: dict[str, Any] = {"progress": self._progress, "use_cache": self.use_cache}
        if self.read_options is not None:
            kwargs["options"] = self.read_options
        parameters = inspect.signature(self.loader).parameters
        if "cancel" in parameters:
            kwargs["cancel"] = self.cancel
        if "corrections" in parameters:
            kwargs["corrections"] = self.ledger_path
        return self.loader(self.paths, **kwargs)

    def on_unmount(self) -> None:
        self.cancel.set()  # the loader stops between articles; nobody waits for it

    # -- loading -----------------------------------------------------------------------

    def _load(self) -> None:
        try:
            kb = self._call_loader()
        except Exception as exc:
            self._from_thread(self._load_failed, f"{type(exc).__name__}: {exc}")
            return
        if self.cancel.is_set():
            return
        self._from_thread(self._kb_ready, kb)
        self.articles_listed.wait(ARTICLES_FIRST)  # the index opens once the list is drawn
        index, error = None, None
        try:
            index = self.index_builder(kb, progress=self._index_progress)
        except ImportError as exc:
            error = f"the search engine is not installed ({exc})"
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        self._from_thread(self._index_ready, index, error)
        self._check_folder(kb)
        self._from_thread(self._settled)

    def _check_folder(self, kb: KnowledgeBase) -> None:
        """A corpus shown from its index before its folder was scanned: scan it now; when the
        folder changed, open it again (which updates the index; progress in the status) and
        show that, each pane keeping its place."""
        archive = getattr(kb, "archive", None)
        try:
            changed = archive is not None and archive.check()
        except Exception:
            changed = True  # opening it again says what is wrong
        if not changed or self.cancel.is_set():
            return
        from pktui.tui.corrections import reopen

        try:
            fresh, index, error = reopen(archive, progress=self._update_progress)
        except Exception as exc:
            self._from_thread(self._not_updated, f"{type(exc).__name__}: {exc}")
            return
        self._from_thread(self._folder_updated, archive, fresh, index, error)

    def _progress(self, done: int, total: int) -> None:
        self._post_progress(done, total, "reading", 0.05)

    def _index_progress(self, done: int, total: int) -> None:
        self._post_progress(done, total, "indexing", 0.1)

    def _update_progress(self, done: int, total: int) -> None:
        self._post_progress(done, total, "updating", 0.1)

    def _post_progress(self, done: int, total: int, what: str, every: float) -> None:
        """Tell the browser how far ``what`` is, at most once every ``every`` seconds (and at the end)."""
        now = monotonic()
        if done >= total or now - self._last_progress > every:
            self._last_progress = now
            self.post_message(self.Loaded(done, total, what))

    def on_articles_listed(self, _message: ArticlesListed) -> None:
        self.articles_listed.set()

    def on_pktui_app_loaded(self, message: Loaded) -> None:
        self.browser.load_progress(message.done, message.total, message.what)

    def _load_failed(self, message: str) -> None:
        self.ready = True
        self.browser.load_failed(message)
        self.notify(one_line(message), title="Could not read the corpus", severity="error", markup=False)

    def _kb_ready(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.archive = getattr(kb, "archive", None)
        self.browser.set_kb(kb, self.paths)
        self._report_ledger(kb)
        skipped = [p for p in kb.problems if p.skipped]
        if skipped:
            lines = [one_line(p.line()) for p in skipped[:3]]
            if len(skipped) > 3:
                lines.append(f"… and {len(skipped) - 3:,} more (listed under the articles)")
            self.notify(
                "\n".join(lines),
                title=f"{len(skipped):,} file(s) not loaded",
                severity="warning",
                markup=False,
                timeout=10,
            )

    def _report_ledger(self, kb: KnowledgeBase) -> None:
        """Once after loading: a ledger that could not be applied, or its stale entries."""
        ledger = self.ledger_path
        outcome = getattr(kb, "corrections", None)
        if outcome is None:
            broken = [p for p in kb.problems if ledger is not None and str(p.path).startswith(str(ledger))]
            if broken:
                self.notify(one_line(broken[0].line()), title="Corrections", severity="error", markup=False, timeout=15)
            return
        if outcome.stale:
            n = len(outcome.stale)
            self.notify(
                f"{n:,} correction{'s are' if n > 1 else ' is'} stale (the target is gone): "
                f"press {self._key_of('corrections')} to see which, in {one_line(str(ledger))}",
                title="Corrections",
                severity="warning",
                markup=False,
                timeout=12,
            )

    def _key_of(self, key_id: str) -> str:
        keys = self.config.keys.get(key_id) or BY_ID[key_id].keys
        return keys.split(",")[0]

    def _index_ready(self, index: Any, error: str | None) -> None:
        self.index, self.index_error = index, error
        self.browser.index_changed(index, error)

    def _settled(self) -> None:
        """Loaded, the index attempted, the folder checked."""
        self.ready = True

    def _folder_updated(self, checked: Any, fresh: Any, index: Any, error: str | None) -> None:
        if self.archive is not checked:  # a correction opened it again meanwhile (scanned, so up to date)
            fresh.close()
            return
        self._swap_archive(fresh, index, error)
        s = fresh.summary
        what = [f"{s.extracted:,} article{'' if s.extracted == 1 else 's'} read"] if s.extracted else []
        what += [f"{s.removed:,} removed"] if s.removed else []
        self.notify(
            f"{', '.join(what)}." if what else "The index was brought up to date.",
            title="The folder changed since it was indexed",
            markup=False,
            timeout=6,
        )

    def _not_updated(self, reason: str) -> None:
        self.browser.set_status(self.browser.kb_status())
        self.notify(one_line(reason), title="Could not read what changed", severity="error", markup=False)

    # -- app-wide actions --------------------------------------------------------------

    def _to_browser(self) -> BrowserScreen:
        while self.screen is not self.browser and len(self.screen_stack) > 1:
            self.pop_screen()
        return self.browser

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # in a text box "/" is typed; in the search box ctrl+p moves through the results
        if action == "search" and isinstance(self.focused, Input):
            return False
        if action in ("search", "figures", "corrections", "undo") and self.screen.has_class("choose"):
            return False  # a picker or form is open: finish or cancel it first
        if action in ("search", "quit", "figures", "corrections") and self.screen.id == "figures":
            return False  # letters typed there filter the series (ctrl+q still quits)
        return not (action == "command_palette" and isinstance(self.focused, SearchInput))

    def action_search(self) -> None:
        self._to_browser().open_search()

    def action_help(self) -> None:
        from pktui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen())

    def action_figures(self) -> None:
        browser = self.browser
        self.show_figures(browser.entity_id if self.screen is browser and browser.pane == "entity" else None)

    # -- corrections -----------------------------------------------------------------------

    def action_undo(self) -> None:
        from pktui.tui.corrections import Correction

        self.correct(Correction("undo", doing="undoing the last correction"))

    def action_corrections(self) -> None:
        from pktui.tui.screens.corrections import CorrectionsScreen

        if isinstance(self.screen, CorrectionsScreen):
            return
        if self.kb is None:
            self.notify("Still reading the corpus…", markup=False, timeout=2)
            return
        self._to_browser()
        self.push_screen(CorrectionsScreen(), self._correction_opened)

    def _correction_opened(self, opened: Any) -> None:
        if opened is not None:
            self.browser.open_correction(opened.entry, opened.original)

    def ask_correction(self, op: str, *, entity: Any = None, fact: Any = None, mention: Any = None) -> None:
        from pktui.tui.fixes import ask

        ask(self, op, entity=entity, fact=fact, mention=mention)

    def action_note(self) -> None:
        """Ask for a note that the next correction carries into the ledger."""
        from pktui.tui.fixes import ask_note

        ask_note(self)

    def correct(self, correction: Any) -> None:
        """Write ``correction`` and open the corpus again, in a worker; then every view shows
        the corrected corpus (see :meth:`_corrected`)."""
        if self.archive is None:
            why = "still reading the corpus" if self.kb is None else "this corpus was opened without a ledger"
            self.notify(f"Cannot correct: {why}.", severity="warning", markup=False)
            return
        if self.correcting:
            self.notify(f"Still {self.correcting}…", markup=False, timeout=2)
            return
        if self.next_note and correction.note is None:
            correction = replace(correction, note=self.next_note)
        self.correcting = correction.doing or "writing the correction"
        self.browser.set_status(Text(f"{self.correcting}…", "bold italic"))
        self._write_correction(self.archive, correction)

    @work(thread=True, group="correct", description="correct", exit_on_error=False)
    def _write_correction(self, archive: Any, correction: Any) -> None:
        from pktui.archive.corrections import CorrectionRefused, LedgerUnwritable
        from pktui.tui.corrections import apply_correction

        try:
            done = apply_correction(archive, correction)
        except (CorrectionRefused, LedgerUnwritable) as exc:
            self._from_thread(self._refused, str(exc))
            return
        except Exception as exc:
            self._from_thread(self._refused, f"{type(exc).__name__}: {exc}")
            return
        _out_of_collectors_way()
        self._from_thread(self._corrected, done)

    def _refused(self, reason: str) -> None:
        self.correcting = None
        self.browser.set_status(self.browser.kb_status())
        self.notify(one_line(reason), title="Not corrected", severity="error", markup=False, timeout=10)

    def _corrected(self, done: Any) -> None:
        """Swap the corpus opened again in (:meth:`_swap_archive`)."""
        self.correcting = None
        if done.note is not None and done.note == self.next_note:
            self.next_note = None  # carried into the ledger (a refused correction keeps it)
        self._swap_archive(done.archive, done.index, done.index_error, select=done.select)
        self.notify(one_line(done.message), title="Corrected", markup=False, timeout=4)

    def _swap_archive(self, archive: Any, index: Any, error: str | None, *, select: str | None = None) -> None:
        """Show ``archive`` (the corpus opened again) in every view, each keeping its place;
        then close the old one (nothing shows it any more)."""
        from pktui.tui.screens.corrections import CorrectionsScreen
        from pktui.tui.screens.figures import FiguresScreen

        old = self.archive
        self.archive, self.kb = archive, archive.kb
        self.index, self.index_error = index, error
        self.browser.corrected(self.kb, index, error, select=select)
        for screen in self.screen_stack:
            if isinstance(screen, FiguresScreen | CorrectionsScreen):
                screen.corrected(self.kb)
        if old is not None and old is not self.archive:
            old.close()
            old.kb = old.index = None  # the archive and its knowledge base hold each other

    def on_run_command(self, event: RunCommand) -> None:
        """The commands a screen leaves to the app: ``figures`` (about an entity, or all)."""
        if event.name == "figures":
            self.show_figures(event.arg or None)

    def show_figures(self, entity_id: str | None = None) -> None:
        from pktui.tui.screens.figures import FiguresScreen

        if self.kb is None:
            self.notify("Still reading the corpus…", markup=False, timeout=2)
            return
        self._to_browser()
        self.push_screen(FiguresScreen(self.kb, entity_id), self._figure_chosen)

    def _figure_chosen(self, fact_id: str | None) -> None:
        if fact_id:
            self.browser.open_fact(fact_id)
