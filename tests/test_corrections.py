"""Corrections: the ledger file, and each operation's effect on entities, facts, timeline and figures."""

from __future__ import annotations

import copy
import multiprocessing
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pktui.commands.export import export_document
from pktui.knowledge.corrections import active_entries, apply_ledger
from pktui.knowledge.ledger import (
    Entry,
    LedgerError,
    append_entry,
    format_entry,
    parse_entries,
    read_ledger,
)
from pktui.knowledge.loader import load_knowledge


@pytest.fixture(scope="module")
def base_kb():
    return load_knowledge(None, use_cache=False)


@pytest.fixture
def kb(base_kb):
    return copy.deepcopy(base_kb)


def entry(n: int, op: str, **targets) -> Entry:
    from pktui.knowledge.ledger import OPERATIONS

    full = {k: targets.get(k) for k in OPERATIONS[op]}
    return Entry(n, op, full, "2026-01-01T00:00:00+00:00")


def fact_by_text(kb, text: str):
    return next(f for f in kb.facts if f.text == text)


def series(kb, subject: str, measure: str):
    return next((s for s in kb.series if s.subject == subject and s.measure == measure), None)


# -- the ledger file ------------------------------------------------------------------------------


def test_entries_round_trip_through_the_file(tmp_path):
    path = tmp_path / "pktui-corrections.yaml"
    a = append_entry(path, "merge", {"entity": "person/a", "into": "person/b"}, note="same man")
    b = append_entry(path, "set", {"fact": "f-1", "fields": {"value": 1100, "qualifier": "nearly"}})
    c = append_entry(path, "undo", {"entry": 1})
    assert (a.n, b.n, c.n) == (1, 2, 3)
    ledger = read_ledger(path)
    assert [e.op for e in ledger.entries] == ["merge", "set", "undo"]
    assert ledger.entries[0].targets == {"entity": "person/a", "into": "person/b"}
    assert ledger.entries[0].note == "same man"
    assert ledger.entries[1].targets["fields"] == {"value": 1100, "qualifier": "nearly"}
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# pktui corrections")
    assert "op: merge" in text and "into: person/b" in text  # readable in a diff


def test_an_absent_ledger_is_empty(tmp_path):
    assert read_ledger(tmp_path / "none.yaml").entries == []


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("- n: 1\n  op: merge\n  entity: person/a\n", 1, "has no 'into'"),
        ("- n: 1\n  op: frobnicate\n", 1, "unknown operation"),
        ("- n: 1\n  op: reject\n  target: f-1\n- n: 1\n  op: reject\n  target: f-2\n", 4, "used twice"),
        ("- n: 1\n  op: retype\n  entity: unit/x\n  type: planet\n", 1, "unknown type"),
        ("- n: 1\n  op: set\n  fact: f-1\n  fields: {colour: red}\n", 1, "cannot set 'colour'"),
        ("- n: 1\n  op: reject\n  target: [f-1\n", 4, "malformed YAML"),
        ("n: 1\n", 1, "a list of entries"),
    ],
)
def test_a_malformed_ledger_is_named_with_its_line(tmp_path, text, line, says):
    path = tmp_path / "pktui-corrections.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LedgerError) as err:
        read_ledger(path)
    assert str(err.value).startswith(f"{path}:{line}:"), err.value
    assert says in str(err.value)


def test_yaml_aliases_are_refused_before_they_expand(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    path = tmp_path / "pktui-corrections.yaml"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(LedgerError, match="refused: its aliases expand"):
        read_ledger(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    path = tmp_path / "pktui-corrections.yaml"
    os.mkfifo(path)
    with pytest.raises(LedgerError, match="not a regular file: a FIFO"):
        read_ledger(path)


def test_a_failed_write_leaves_the_previous_ledger_whole(tmp_path, monkeypatch):
    path = tmp_path / "pktui-corrections.yaml"
    append_entry(path, "reject", {"target": "f-1"})
    before = path.read_bytes()

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        append_entry(path, "reject", {"target": "f-2"})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def _append_many(path: str, who: int) -> None:
    for i in range(15):
        append_entry(Path(path), "reject", {"target": f"f-{who}-{i}"})


def test_two_writers_at_once_lose_no_entry(tmp_path):
    path = tmp_path / "pktui-corrections.yaml"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(str(path), w)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    entries = read_ledger(path).entries
    assert sorted(e.n for e in entries) == list(range(1, 31))
    assert {e.targets["target"] for e in entries} == {f"f-{w}-{i}" for w in range(2) for i in range(15)}


def test_undo_of_an_undo_brings_the_entry_back():
    entries = [
        entry(1, "reject", target="f-1"),
        entry(2, "reject", target="f-2"),
        entry(3, "undo", entry=1),
        entry(4, "undo", entry=3),
        entry(5, "undo", entry=2),
    ]
    assert [e.n for e in active_entries(entries)] == [1]


def test_format_entry_parses_back():
    e = Entry(7, "split", {"entity": "person/x", "alias": "Nguyễn", "name": None, "type": "person"}, "t", "n")
    (back,) = parse_entries(format_entry(e), "x")
    assert (back.n, back.op, back.targets["alias"], back.targets["type"], back.note) == (
        7,
        "split",
        "Nguyễn",
        "person",
        "n",
    )


# -- each operation ----------------------------------------------------------------------------------


def test_merge_moves_mentions_aliases_and_facts(kb):
    dept, mnd = (
        "organization/viet-nam-department-of-peacekeeping-operations",
        "organization/ministry-of-national-defence",
    )
    dept_mentions = len(kb.entity(dept).mentions)
    dept_facts = {f.id for f in kb.facts_about(dept)}
    assert dept_facts
    out = apply_ledger(kb, [entry(1, "merge", entity=dept, into=mnd)])
    assert out.applied == [1] and not out.stale
    assert kb.entity(dept) is None
    merged = kb.entity(mnd)
    assert "Việt Nam Department of Peacekeeping Operations" in merged.aliases and "VDPO" in merged.aliases
    assert sum(m.entity == mnd for m in merged.mentions) == len(merged.mentions) >= dept_mentions
    assert dept_facts <= {f.id for f in kb.facts_about(mnd)}
    assert all(dept not in f.entities for f in kb.facts)
    assert all(dept not in t.entities for t in kb.timeline)
    assert merged.corrected == (1,)
    assert all(1 in kb.fact(fid).corrected for fid in dept_facts)


def test_split_takes_the_alias_and_the_facts_that_only_it_names(kb):
    lacroix = "person/jean-pierre-lacroix"
    said = next(f for f in kb.facts if f.text.startswith("Lacroix said"))
    full = next(f for f in kb.facts if f.kind == "role" and "Peace Operations" in f.text)
    out = apply_ledger(kb, [entry(1, "split", entity=lacroix, alias="Lacroix", name="Mr Lacroix")])
    assert not out.stale
    new = kb.entity("person/mr-lacroix")
    assert new is not None and new.name == "Mr Lacroix" and new.type == "person"
    assert {m.text for m in new.mentions} == {"Lacroix"}
    assert {m.text for m in kb.entity(lacroix).mentions} == {"Jean-Pierre Lacroix"}
    assert "person/mr-lacroix" in said.entities and lacroix not in said.entities
    assert lacroix in full.entities  # its sentence names the full name


def test_rename_keeps_the_old_name_findable(kb):
    lacroix = "person/jean-pierre-lacroix"
    apply_ledger(kb, [entry(1, "rename", entity=lacroix, name="J.-P.  Lacroix")])
    ent = kb.entity(lacroix)
    assert ent.name == "J.-P. Lacroix" and ent.corrected == (1,)
    assert "Jean-Pierre Lacroix" in ent.aliases
    assert "J.-P. Lacroix" not in ent.aliases


def test_retype_changes_the_type_and_keeps_the_id(kb):
    hospital = "unit/level-2-field-hospital"
    apply_ledger(kb, [entry(1, "retype", entity=hospital, type="programme")])
    assert kb.entity(hospital).type == "programme"
    types = [e.type for e in kb.entities]
    assert types == sorted(types)  # the list stays grouped by type


def test_alias_turns_occurrences_into_mentions_and_leaves_longer_names_alone(kb):
    unisfa = "mission/unisfa"
    apply_ledger(kb, [entry(1, "alias", entity=unisfa, name="abyei")])
    ent = kb.entity(unisfa)
    abyei = [m for m in ent.mentions if m.text == "Abyei"]
    assert abyei and all(1 in m.corrected for m in abyei)
    assert kb.entity("location/abyei") is None or not any(
        m.text == "Abyei" for m in kb.entity("location/abyei").mentions
    )
    for m in ent.mentions:  # the full name keeps its one mention: no mention inside another
        assert not any(
            o is not m and o.article == m.article and o.start < m.end and m.start < o.end for o in ent.mentions
        )
    for m in abyei:
        assert kb.article(m.article).text[m.start : m.end] == m.text


def test_rejected_fact_leaves_facts_timeline_and_its_series(kb):
    f512 = fact_by_text(kb, "512 Vietnamese officers and soldiers")
    before = series(kb, "country/viet-nam", "personnel")
    assert any(p.fact == f512.id for p in before.points)
    apply_ledger(kb, [entry(1, "reject", target=f512.id)])
    assert kb.fact(f512.id) is None and f512 not in kb.facts
    assert all(p.fact != f512.id for s in kb.series for p in s.points)
    assert len(series(kb, "country/viet-nam", "personnel").points) == len(before.points) - 1


def test_rejected_event_leaves_the_timeline(kb):
    fact = next(f for f in kb.facts if f.kind == "event" and f.text.startswith("Since May 2022"))
    event = next(t for t in kb.timeline if t.fact == fact.id)
    apply_ledger(kb, [entry(1, "reject", target=event.fact)])
    assert all(t.fact != event.fact for t in kb.timeline)


def test_rejecting_the_last_mention_removes_the_entity(kb):
    ny = kb.entity("location/new-york")
    (m,) = ny.mentions
    apply_ledger(kb, [entry(1, "reject", target=f"{m.article}:{m.start}-{m.end}")])
    assert kb.entity("location/new-york") is None
    assert all("location/new-york" not in f.entities for f in kb.facts)


def test_set_changes_the_value_and_the_figures(kb):
    staff = fact_by_text(kb, "252 medical staff")
    apply_ledger(kb, [entry(1, "set", fact=staff.id, fields={"value": "260", "qualifier": "about"})])
    assert (staff.value, staff.qualifier, staff.corrected) == (260, "about", (1,))
    point = next(p for s in kb.series for p in s.points if p.fact == staff.id)
    assert (point.value, point.qualifier) == (260.0, "about")


def test_set_a_date_moves_the_timeline_entry(kb):
    event = next(f for f in kb.facts if f.kind == "event" and f.text.startswith("Since May 2022"))
    apply_ledger(kb, [entry(1, "set", fact=event.id, fields={"value": "2022-06"})])
    t = next(t for t in kb.timeline if t.fact == event.id)
    assert (t.date, t.precision) == ("2022-06", "month")
    keys = [t.sort_key for t in kb.timeline]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("op", "targets", "says"),
    [
        ("merge", {"entity": "person/nobody", "into": "country/viet-nam"}, "no entity person/nobody"),
        ("reject", {"target": "f-nothing"}, "no fact f-nothing"),
        ("reject", {"target": "some-article:1-5"}, "no mention at some-article:1-5"),
        ("split", {"entity": "country/viet-nam", "alias": "Atlantis"}, "no mention written 'Atlantis'"),
        ("set", {"fact": "f-nothing", "fields": {"value": 3}}, "no fact f-nothing"),
    ],
)
def test_stale_entries_are_reported_and_change_nothing(kb, base_kb, op, targets, says):
    out = apply_ledger(kb, [entry(1, op, **targets)])
    assert out.applied == []
    ((e, why),) = out.stale
    assert e.n == 1 and says in why
    assert export_document(kb) == export_document(base_kb)
    (problem,) = out.problems("ledger.yaml")
    assert "correction 1" in problem.line() and "stale" in problem.line()


def test_a_merged_entity_cannot_be_merged_again(kb):
    a, b = "organization/vietnam-people-s-army", "organization/ministry-of-national-defence"
    out = apply_ledger(kb, [entry(1, "merge", entity=a, into=b), entry(2, "merge", entity=a, into=b)])
    assert out.applied == [1] and [e.n for e, _ in out.stale] == [2]


# -- property: undoing every entry gives the extraction back exactly ------------------------------


@st.composite
def ledgers(draw, entity_ids, fact_ids, mention_refs):
    ops = []
    for n in range(1, draw(st.integers(1, 8)) + 1):
        op = draw(st.sampled_from(["merge", "split", "rename", "retype", "alias", "reject", "set"]))
        if op == "merge":
            a, b = draw(st.lists(st.sampled_from(entity_ids), min_size=2, max_size=2, unique=True))
            ops.append(entry(n, op, entity=a, into=b))
        elif op == "split":
            ops.append(
                entry(
                    n,
                    op,
                    entity=draw(st.sampled_from(entity_ids)),
                    alias=draw(st.sampled_from(["UN", "Lacroix", "VPA", "Abyei"])),
                )
            )
        elif op == "rename":
            ops.append(
                entry(
                    n, op, entity=draw(st.sampled_from(entity_ids)), name=draw(st.sampled_from(["X Y", "Nguyễn Văn A"]))
                )
            )
        elif op == "retype":
            ops.append(
                entry(n, op, entity=draw(st.sampled_from(entity_ids)), type=draw(st.sampled_from(["unit", "person"])))
            )
        elif op == "alias":
            ops.append(
                entry(
                    n,
                    op,
                    entity=draw(st.sampled_from(entity_ids)),
                    name=draw(st.sampled_from(["Abyei", "peacekeeping", "Hanoi"])),
                )
            )
        elif op == "reject":
            ops.append(entry(n, op, target=draw(st.sampled_from(fact_ids + mention_refs))))
        else:
            ops.append(
                entry(
                    n, op, fact=draw(st.sampled_from(fact_ids)), fields={"value": draw(st.sampled_from([1, 250, 2020]))}
                )
            )
    return ops


def test_undoing_every_entry_gives_back_the_extraction(base_kb):
    entity_ids = [e.id for e in base_kb.entities]
    fact_ids = [f.id for f in base_kb.facts]
    refs = [f"{m.article}:{m.start}-{m.end}" for e in base_kb.entities for m in e.mentions][::3]
    expected = export_document(base_kb)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(ledgers(entity_ids, fact_ids, refs))
    def check(ops):
        corrected = copy.deepcopy(base_kb)
        apply_ledger(corrected, ops)  # whatever it did (or found stale) ...
        undone = copy.deepcopy(base_kb)
        n = len(ops)
        undos = [entry(n + i + 1, "undo", entry=e.n) for i, e in enumerate(ops)]
        out = apply_ledger(undone, ops + undos)
        assert out.applied == [] and out.stale == []
        assert export_document(undone) == expected  # ... undoing all of it is the extraction again

    check()
