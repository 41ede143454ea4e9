"""Every key of the browser in one table: id, default keys, action, what it does.

Widgets build their ``BINDINGS`` from here, the help screen lists it, and the config file
remaps keys by id (``keys: {search: "ctrl+f,slash"}``) through ``App.set_keymap``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True, slots=True)
class Key:
    id: str
    keys: str
    action: str
    description: str
    scope: str
    show: bool = False
    help: str = ""
    group: str | None = None
    priority: bool = False


STEP = Binding.Group("step", compact=True)
HISTORY = Binding.Group("back/fwd", compact=True)
FACT_STEP = Binding.Group("fact", compact=True)
FIX_ENTITY = Binding.Group("fix entity", compact=True)

#: scope -> title in the help screen, in display order
SCOPES = {
    "app": "Anywhere",
    "browser": "Browser",
    "reading": "Source view, facts and entity detail",
    "list": "Lists (articles, entities, timeline, facts, results)",
    "source": "Source view: scrolling",
    "search": "Search bar",
    "entity": "Correcting an entity (Entities pane, entity detail, an entity in the results)",
    "fact": "Correcting a fact (Facts pane, entity detail, results, timeline)",
    "corrections": "Corrections view (c)",
    "choose": "Correction pickers and forms",
    "figures": "Figures view",
    "figures_table": "Figures view: the table of series",
    "help": "This help screen",
}

KEYS: tuple[Key, ...] = (
    Key("help", "question_mark,f1", "app.help", "Help", "app", True, "this screen: every key, search syntax, config"),
    Key("quit", "q", "app.quit", "Quit", "app", True, "quit pktui (ctrl+q works too)"),
    Key(
        "interrupt",
        "ctrl+c",
        "app.quit",
        "Quit",
        "app",
        False,
        "quit pktui, as Ctrl+C ends any terminal program",
        priority=True,
    ),
    # priority: seen before keys typed right after it are handed to the list, so "/lacroix" typed
    # fast lands in the search bar (the app lets "/" through when the search bar has focus)
    Key(
        "search",
        "slash",
        "app.search",
        "Search",
        "app",
        True,
        "focus the search bar; results update as you type",
        None,
        True,
    ),
    Key(
        "palette",
        "ctrl+p",
        "command_palette",
        "Palette",
        "app",
        False,
        "command palette: search the corpus (entities, facts, passages), run a command",
        None,
        True,
    ),
    Key("figures", "f", "app.figures", "Figures", "app", False, "the figures view: reported numbers over time"),
    Key("undo", "u", "app.undo", "Undo", "app", False, "undo the last correction in effect (the ledger keeps both)"),
    Key(
        "note",
        "semicolon",
        "app.note",
        "Note",
        "app",
        False,
        "a note for the next correction, kept beside it in the ledger (empty: none)",
    ),
    Key(
        "corrections",
        "c",
        "app.corrections",
        "Corrections",
        "app",
        False,
        "the corrections view: the ledger, newest first",
    ),
    Key("next_pane", "tab", "next_pane", "Next pane", "browser", False, "next pane (Shift+Tab: previous)"),
    Key("prev_pane", "shift+tab", "prev_pane", "Previous pane", "browser", False, "previous pane"),
    Key("pane_articles", "1", "pane('articles')", "Articles", "browser", False, "articles pane, newest first"),
    Key("pane_entities", "2", "pane('entities')", "Entities", "browser", False, "entities pane, grouped by type"),
    Key("pane_timeline", "3", "pane('timeline')", "Timeline", "browser", False, "timeline pane"),
    Key("pane_source", "4", "pane('source')", "Source", "browser", False, "source view of the open article"),
    Key("pane_facts", "5", "pane('facts')", "Facts", "browser", False, "facts of the open article"),
    Key("pane_entity", "6", "pane('entity')", "Entity", "browser", False, "the selected entity's detail"),
    Key("back", "backspace,alt+left,H", "back", "Back", "browser", True, "back to what was opened before", "history"),
    Key("forward", "alt+right,L", "forward", "Fwd", "browser", True, "forward again", "history"),
    Key(
        "next_mark",
        "n",
        "screen.step(1)",
        "Next",
        "reading",
        True,
        "next mention of the entity / match of the search hit",
        "step",
    ),
    Key("prev_mark", "N", "screen.step(-1)", "Prev", "reading", True, "previous mention / match", "step"),
    Key(
        "prev_fact",
        "left_square_bracket",
        "screen.fact_step(-1)",
        "Prev fact",
        "reading",
        True,
        "previous fact in the article",
        "fact",
    ),
    Key(
        "next_fact",
        "right_square_bracket",
        "screen.fact_step(1)",
        "Next fact",
        "reading",
        True,
        "next fact in the article",
        "fact",
    ),
    Key(
        "copy_citation",
        "y",
        "screen.copy_citation",
        "Cite",
        "reading",
        True,
        "copy the highlighted passage as a citation (OSC 52)",
    ),
    Key(
        "why",
        "w",
        "screen.why",
        "Why",
        "reading",
        True,
        "why the highlighted fact or mention was extracted: the rule, list or cue",
    ),
    Key("clear_filter", "x", "clear_filter", "Unfilter", "browser", False, "clear the timeline's entity filter"),
    Key(
        "merge",
        "m",
        "screen.fix('merge')",
        "Merge",
        "entity",
        True,
        "merge this entity into another (fuzzy picker)",
        "fix",
    ),
    Key("rename", "r", "screen.fix('rename')", "Rename", "entity", True, "rename this entity", "fix"),
    Key("retype", "t", "screen.fix('retype')", "Retype", "entity", True, "change this entity's type", "fix"),
    Key(
        "split",
        "s",
        "screen.fix('split')",
        "Split",
        "entity",
        True,
        "split one of its names off as an entity of its own",
        "fix",
    ),
    Key(
        "alias",
        "a",
        "screen.fix('alias')",
        "Alias",
        "entity",
        True,
        "add a name of this entity the extractor missed: its occurrences become mentions",
        "fix",
    ),
    Key("reject", "d,delete", "screen.fix('reject')", "Reject", "fact", True, "reject this fact: it is not a fact"),
    Key(
        "reject_mention",
        "D",
        "screen.fix('reject_mention')",
        "Not a mention",
        "reading",
        True,
        "reject the highlighted mention (n / N step to one): it is not that entity",
    ),
    Key(
        "edit_value",
        "e",
        "screen.fix('set')",
        "Edit",
        "fact",
        True,
        "set this fact's value (qualifier, unit, date) by hand",
    ),
    Key("correction_open", "enter", "open_entry", "Open", "corrections", True, "open what the entry changed"),
    Key("correction_undo", "u", "undo_entry", "Undo", "corrections", True, "undo the selected entry"),
    Key("correction_close", "escape,q,c", "close", "Close", "corrections", True, "back to the browser"),
    Key("choose_close", "escape", "close", "Cancel", "choose", True, "cancel: nothing is written"),
    Key("choose_next", "tab", "focus_next", "Next field", "choose", False, "between the name and the list"),
    Key("escape", "escape", "escape", "Return", "browser", False, "close search / return to the list"),
    Key("down", "j,down", "cursor_down", "Down", "list", False, "next item"),
    Key("up", "k,up", "cursor_up", "Up", "list", False, "previous item"),
    Key("top", "g,home", "first", "First", "list", False, "first item"),
    Key("bottom", "G,end", "last", "Last", "list", False, "last item"),
    Key("list_page_down", "pagedown", "page_down", "Page down", "list", False, "a page down"),
    Key("list_page_up", "pageup", "page_up", "Page up", "list", False, "a page up"),
    Key("open", "enter", "select", "Open", "list", True, "open the passage / article / entity"),
    Key("scroll_down", "j,down", "scroll_down", "Down", "source", False, "scroll a line"),
    Key("scroll_up", "k,up", "scroll_up", "Up", "source", False, "scroll a line back"),
    Key("scroll_top", "g,home", "scroll_home", "Top", "source", False, "top of the article"),
    Key("scroll_bottom", "G,end", "scroll_end", "Bottom", "source", False, "end of the article"),
    Key("page_down", "space,pagedown", "page_down", "Page down", "source", False, "a page down"),
    Key("page_up", "b,pageup", "page_up", "Page up", "source", False, "a page up"),
    Key("search_down", "down,ctrl+n", "results_move(1)", "Next result", "search", False, "next result"),
    Key("search_up", "up,ctrl+p", "results_move(-1)", "Previous result", "search", False, "previous result"),
    Key("search_open", "enter", "results_open", "Open", "search", True, "open the highlighted result's passage"),
    Key("search_close", "escape", "close", "Return", "search", True, "leave search, back where you were"),
    Key("figure_close", "escape", "close", "Close", "figures", True, "clear the filter, then back to the browser"),
    Key("figure_sort", "ctrl+s,f2", "sort", "Sort", "figures", True, "sort by size, recency, conflicts or subject"),
    Key("figure_open", "enter", "open_point", "Open", "figures_table", True, "open the passage of the selected point"),
    Key(
        "figure_reject",
        "delete",
        "screen.reject_point",
        "Reject",
        "figures_table",
        True,
        "reject the selected point's fact",
    ),
    Key(
        "figure_edit",
        "ctrl+e",
        "screen.edit_point",
        "Edit",
        "figures_table",
        True,
        "set the selected point's value by hand",
    ),
    Key("figure_undo", "ctrl+u", "app.undo", "Undo", "figures", False, "undo the last correction (u elsewhere)"),
    Key("figure_down", "down", "down", "Down", "figures_table", False, "next series (letters typed filter them)"),
    Key("figure_up", "up", "up", "Up", "figures_table", False, "previous series"),
    Key("figure_left", "left", "left", "Left", "figures_table", False, "previous point"),
    Key("figure_right", "right", "right", "Right", "figures_table", False, "next point"),
    Key("figure_top", "home", "first", "First", "figures_table", False, "first series"),
    Key("figure_bottom", "end", "last", "Last", "figures_table", False, "last series"),
    Key("figure_page_down", "pagedown", "page(1)", "Page down", "figures_table", False, "a page down"),
    Key("figure_page_up", "pageup", "page(-1)", "Page up", "figures_table", False, "a page up"),
    Key("help_close", "escape,q,question_mark,f1", "close", "Close", "help", True, "close help"),
    Key("help_down", "j,down", "scroll(1)", "Down", "help", False, "scroll down"),
    Key("help_up", "k,up", "scroll(-1)", "Up", "help", False, "scroll up"),
)

BY_ID = {k.id: k for k in KEYS}
_GROUPS = {"history": HISTORY, "step": STEP, "fact": FACT_STEP, "fix": FIX_ENTITY}


def bindings(scope: str) -> list[BindingType]:
    return [
        Binding(
            k.keys,
            k.action,
            k.description,
            show=k.show,
            id=k.id,
            group=_GROUPS.get(k.group or ""),
            priority=k.priority,
        )
        for k in KEYS
        if k.scope == scope
    ]


#: Shown in the help screen: the query syntax the search engine understands.
SEARCH_SYNTAX = (
    ("lacrox visit", "fuzzy words, any order; typos, case and diacritics do not matter"),
    ('"field hospital"', "an exact phrase"),
    ("-women", "leave out results with this word"),
    ("type:person", "entities of a type: person organization mission country location unit programme event"),
    ("kind:quantity", "facts of a kind: quantity date role event"),
    ("entity:unisfa", "facts about an entity"),
    ("after:2020 before:2023", "facts dated in a range (year, year-month or full date)"),
    ("in:2025", "facts from articles published in 2025"),
)
