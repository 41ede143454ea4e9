"""What each correction key asks before anything is written: the picker or form of the
operation, then a :class:`~pktui.tui.corrections.Correction` handed to ``app.correct``.

Shared by the browser's panes and the figures view. Esc at any step writes nothing.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from pktui.model import Entity, Fact, Mention
from pktui.text import one_line
from pktui.tui import format as fmt
from pktui.tui.corrections import Correction, EntityMatcher, changed_fields, entity_row, split_names, type_rows
from pktui.tui.screens.choose import Choice, ChoiceScreen

ENTITY_OPS = ("merge", "rename", "retype", "split", "alias")
FACT_OPS = ("reject", "set")


def ask(
    app: Any, op: str, *, entity: Entity | None = None, fact: Fact | None = None, mention: Mention | None = None
) -> None:
    """Ask what ``op`` needs (nothing for a reject), then correct."""
    if op in ENTITY_OPS:
        if entity is None:
            app.notify(
                "Not on an entity: m r t s a work on the Entities pane, an entity's detail or result.", markup=False
            )
            return
        {"merge": _merge, "rename": _rename, "retype": _retype, "split": _split, "alias": _alias}[op](app, entity)
        return
    if op == "reject_mention":
        _reject_mention(app, mention)
        return
    if fact is None:
        app.notify("Not on a fact: d and e work on a fact in the facts, results, timeline or figures.", markup=False)
        return
    if op == "reject":
        what = fmt.clip(fmt.fact_value(fact, lambda e: fmt.entity_name(app.kb, e)), 60)
        app.correct(Correction("reject", {"target": fact.id}, doing=f"rejecting {what}"))
    else:
        _set(app, fact)


def _merge(app: Any, entity: Entity) -> None:
    name = one_line(entity.name)

    def chosen(choice: Choice | None) -> None:
        if choice is None or not isinstance(choice.item, Entity):
            return
        into = choice.item
        app.correct(
            Correction(
                "merge",
                {"entity": entity.id, "into": into.id},
                select=into.id,
                doing=f"merging {name} into {one_line(into.name)}",
            )
        )

    app.push_screen(
        ChoiceScreen(
            f"Merge {fmt.clip(name, 40)} into…",
            hint="The same as which entity? Its mentions, names and facts become that one's.",
            value="",
            placeholder="type to find the entity",
            search=EntityMatcher(app.kb.entities, entity.id),
            render=entity_row,
            empty="No entity matches.",
        ),
        chosen,
    )


def _rename(app: Any, entity: Entity) -> None:
    def chosen(choice: Choice | None) -> None:
        name = " ".join(choice.text.split()) if choice else ""
        if not name or name == entity.name:
            return
        app.correct(
            Correction("rename", {"entity": entity.id, "name": name}, select=entity.id, doing=f"renaming to {name}")
        )

    app.push_screen(ChoiceScreen(f"Rename {fmt.clip(entity.name, 50)}", value=entity.name), chosen)


def _alias(app: Any, entity: Entity) -> None:
    def chosen(choice: Choice | None) -> None:
        name = " ".join(choice.text.split()) if choice else ""
        if not name:
            return
        app.correct(
            Correction(
                "alias",
                {"entity": entity.id, "name": name},
                select=entity.id,
                doing=f"adding {name} as a name of {one_line(entity.name)}",
            )
        )

    app.push_screen(
        ChoiceScreen(
            f"Another name of {fmt.clip(entity.name, 50)}",
            hint="Where it is written, in every article, it becomes a mention of this entity.",
            value="",
            placeholder="the name as the articles write it",
        ),
        chosen,
    )


def _reject_mention(app: Any, mention: Mention | None) -> None:
    if mention is None:
        app.notify(
            "No mention highlighted: select an entity and step to its mentions with n / N in the source view.",
            markup=False,
        )
        return
    ref = f"{mention.article}:{mention.start}-{mention.end}"
    owner = fmt.entity_name(app.kb, mention.entity) or mention.entity
    app.correct(
        Correction(
            "reject",
            {"target": ref},
            doing=f"rejecting “{fmt.clip(one_line(mention.text), 40)}” as a mention of {one_line(owner)}",
        )
    )


def ask_note(app: Any) -> None:
    """A note the next correction carries into the ledger (an empty one clears it)."""

    def chosen(choice: Choice | None) -> None:
        if choice is None:
            return
        note = " ".join(choice.text.split())
        app.next_note = note or None
        said = f"The next correction carries the note “{fmt.clip(note, 60)}”." if note else "No note."
        app.notify(said, markup=False, timeout=3)

    app.push_screen(
        ChoiceScreen(
            "Note for the next correction",
            hint="Kept in the ledger beside it (why it was made, who agreed). Empty: no note.",
            value=app.next_note or "",
            placeholder="e.g. the same general, per the ministry's list",
        ),
        chosen,
    )


def _retype(app: Any, entity: Entity) -> None:
    rows, row = type_rows(entity.type)

    def chosen(choice: Choice | None) -> None:
        if choice is None or choice.item == entity.type:
            return
        app.correct(
            Correction(
                "retype",
                {"entity": entity.id, "type": choice.item},
                select=entity.id,
                doing=f"retyping {one_line(entity.name)}",
            )
        )

    app.push_screen(ChoiceScreen(f"Type of {fmt.clip(entity.name, 50)}", rows=rows, highlight=row), chosen)


def _split(app: Any, entity: Entity) -> None:
    names = split_names(entity)
    if not names:
        app.notify(f"{one_line(entity.name)} is written only one way: no other name to split off.", markup=False)
        return
    rows = [(Text.assemble((one_line(n), "bold"), (f"  {fmt.counted(c, 'mention')}", "dim")), n) for n, c in names]

    def alias_chosen(choice: Choice | None) -> None:
        if choice is None:
            return
        alias = choice.item
        types, row = type_rows(entity.type)

        def form_done(form: Choice | None) -> None:
            if form is None:
                return
            name = " ".join(form.text.split())
            targets = {
                "entity": entity.id,
                "alias": alias,
                "name": name if name and name != alias else None,
                "type": form.item if form.item != entity.type else None,
            }
            app.correct(Correction("split", targets, select=entity.id, doing=f"splitting {one_line(alias)} off"))

        app.push_screen(
            ChoiceScreen(
                f"Split “{fmt.clip(alias, 40)}” off as…",
                hint="The new entity's name and type: Enter keeps them as they are.",
                value=alias,
                rows=types,
                highlight=row,
            ),
            form_done,
        )

    app.push_screen(
        ChoiceScreen(f"Split a name off {fmt.clip(entity.name, 40)}", hint="Its mentions written so:", rows=rows),
        alias_chosen,
    )


def _set(app: Any, fact: Fact) -> None:
    from pktui.tui.corrections import value_prefill

    if fact.kind in ("quantity", "ordinal"):
        hint = "value=NUMBER qualifier=exact|about|more_than|... unit=WORD date=YYYY[-MM[-DD]]"
    elif fact.kind in ("date", "event"):
        hint = "value=YYYY, YYYY-MM, YYYY-MM-DD or START/END"
    else:
        hint = "value=TEXT"

    def chosen(choice: Choice | None) -> None:
        if choice is None:
            return
        try:
            fields = changed_fields(choice.text, fact)
        except ValueError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        if not fields:
            app.notify("Nothing changed.", markup=False, timeout=2)
            return
        app.correct(Correction("set", {"fact": fact.id, "fields": fields}, doing="setting the value"))

    title = f"Set {fmt.clip(fmt.fact_value(fact, lambda e: fmt.entity_name(app.kb, e)), 50)}"
    app.push_screen(ChoiceScreen(title, hint=hint, value=value_prefill(fact)), chosen)
