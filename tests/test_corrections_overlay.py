"""Corrections as an overlay on the stored knowledge base equal the ledger applied in memory.

The overlay reads only what a ledger touches and answers the rest from the store; the search
index adds a segment of what it changed. For random ledgers over the sample corpus, the export
of the overlay must equal, exactly, the export of the whole knowledge base read into memory with
the ledger applied there, and search must find the same documents.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pktui.archive import open_archive
from pktui.archive.corrected import search_changes
from pktui.commands.export import entity_dict, export_document, series_dict
from pktui.corpus import bundled_corpus_dir
from pktui.knowledge.corrections import apply_ledger
from pktui.knowledge.store.corrected import CorrectedKnowledgeBase
from pktui.knowledge.store.extend import extend
from pktui.knowledge.store.kept_overlay import KeptOverlay
from pktui.knowledge.store.memory import in_memory
from pktui.knowledge.store.overlay import correct
from pktui.knowledge.store.overlay_cache import entry_digests
from pktui.knowledge.store.overlay_kept import KeptKey, open_kept, write_kept
from pktui.knowledge.store.overlay_kept_update import update_kept
from pktui.search.build import build_segment
from pktui.search.index import SearchIndex
from pktui.text import fold
from tests.test_corrections import entry, ledgers

QUERIES = [
    "abyei ",
    "peacekeeping ",
    "x y ",
    "nguyen van a ",
    "hanoi ",
    "lacroix ",
    "un ",
    "250 ",
    "vpa ",
    "hospital ",
    "korea ",
    "republic ",
]


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("overlay")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp / "cache"))
        folder = tmp / "corpus"
        shutil.copytree(bundled_corpus_dir(), folder)
        archive = open_archive([folder])
        yield archive
        archive.close()


def _corrected(archive, ops) -> CorrectedKnowledgeBase:
    overlay = correct(archive.kb, ops, lambda name: archive.index.articles_holding(fold(name).split()))
    return CorrectedKnowledgeBase(archive.kb, overlay)


def _in_memory(archive, ops):
    memory = in_memory(archive.kb)
    apply_ledger(memory, ops)
    return memory


def _found(index, query: str) -> set[tuple[str, str]]:
    return {(h.kind, h.id) for h in index.search(query, limit=5000)}


def _overlay_search(archive, kb: CorrectedKnowledgeBase) -> SearchIndex:
    """The index's own segments and the corrections' one (built here in memory)."""
    from pktui.search import segment

    articles, entity_ids = search_changes(kb)
    folders = [archive.folder / "search" / s for s in _manifest(archive).segments]
    data = [segment.read(f) for f in folders]
    if articles or entity_ids:
        data.append(build_segment(kb, articles, entity_ids=entity_ids))
    return SearchIndex(kb, data, deleted_articles=frozenset(_manifest(archive).deleted))


def _manifest(archive):
    from pktui.archive.segments import Manifest

    return Manifest.load(archive.kb.meta("search"))


def _ids(archive):
    kb = archive.kb
    entity_ids = [e.id for e in kb.entities]
    fact_ids = [f.id for f in kb.facts]
    refs = [f"{m.article}:{m.start}-{m.end}" for e in kb.entities for m in e.mentions][::3]
    return entity_ids, fact_ids, refs


def test_the_overlay_exports_what_the_ledger_applied_in_memory_exports(stored):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(ledgers(*_ids(stored)))
    def check(ops):
        assert export_document(_corrected(stored, ops)) == export_document(_in_memory(stored, ops))

    check()


def test_undone_entries_leave_the_store_as_it_was(stored):
    ops = [entry(1, "merge", entity=stored.kb.entities[0].id, into=stored.kb.entities[1].id), entry(2, "undo", entry=1)]
    assert export_document(_corrected(stored, ops)) == export_document(stored.kb)


def test_search_over_the_overlay_finds_what_search_over_memory_finds(stored):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(ledgers(*_ids(stored)))
    def check(ops):
        overlay = _overlay_search(stored, _corrected(stored, ops))
        memory = SearchIndex.build(_in_memory(stored, ops))
        for q in QUERIES:
            assert _found(overlay, q) == _found(memory, q), q

    check()


def test_alias_candidates_hold_every_article_a_name_occurs_in(stored):
    """The postings give a superset of the articles where a name occurs as words."""
    from pktui.knowledge.correction_values import name_pattern
    from pktui.text import fold_keep

    kb = stored.kb
    texts = {a.id: fold_keep(a.text) for a in kb.articles}
    words = sorted({w for e in list(kb.entities)[:80] for w in fold(e.name).split()})
    for name in [*words, "Abyei peacekeeping", "Viet Nam", "Hà Nội"]:
        found = stored.index.articles_holding(fold(name).split())
        if found is None:
            continue
        pattern = name_pattern(name)
        assert pattern is not None
        where = {aid for aid, text in texts.items() if pattern.search(text)}
        assert where <= found, name


def _same_list(got, expected, norm=lambda item: item) -> None:
    assert len(got) == len(expected)
    want = [norm(x) for x in expected]
    assert [norm(x) for x in got] == want
    assert [norm(got[i]) for i in range(len(got))] == want  # by place, as the lists on screen read


def test_every_lookup_of_the_overlay_answers_as_memory_does(stored):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(ledgers(*_ids(stored)))
    def check(ops):
        _same_answers(stored, _corrected(stored, ops), _in_memory(stored, ops))

    check()


def _same_answers(stored, kb, memory) -> None:
    for name, norm in (("entities", entity_dict), ("facts", None), ("timeline", None), ("series", series_dict)):
        _same_list(getattr(kb, name), getattr(memory, name), *([norm] if norm else []))
    assert kb.entity_counts_by_type() == memory.entity_counts_by_type()
    assert kb.counts["entities"] == len(memory.entities) and kb.counts["facts"] == len(memory.facts)
    assert kb.counts["timeline"] == len(memory.timeline)
    for e in list(memory.entities)[::7] + [stored.kb.entities[0]]:
        got, want = kb.entity(e.id), memory.entity(e.id)
        assert (got and entity_dict(got)) == (want and entity_dict(want))
        _same_list(kb.facts_about(e.id), memory.facts_about(e.id))
        _same_list(kb.timeline_for(e.id), memory.timeline_for(e.id))
    for a in list(memory.articles)[::3]:
        assert kb.facts_in(a.id) == memory.facts_in(a.id)
        assert [(m.start, m.end, m.entity, m.corrected) for m in kb.mentions_in(a.id)] == [
            (m.start, m.end, m.entity, m.corrected) for m in memory.mentions_in(a.id)
        ]
        n = len(a.text)
        assert kb.mention_owners(a.id, 0, n) == memory.mention_owners(a.id, 0, n)
        assert kb.mention_owners(a.id, n // 3, n) == memory.mention_owners(a.id, n // 3, n)
        for eid in {m.entity for m in memory.mentions_in(a.id)}:
            assert [(m.start, m.end, m.corrected) for m in kb.mentions_of_in(eid, a.id)] == [
                (m.start, m.end, m.corrected) for m in memory.mentions_of_in(eid, a.id)
            ]
    for f in list(stored.kb.facts)[::11]:
        assert kb.fact(f.id) == memory.fact(f.id)


# -- the overlay kept on disk, and extended when the ledger grew ----------------------------------


def _find(archive):
    return lambda name: archive.index.articles_holding(fold(name).split())


def _round_trip(overlay, ops, tmp_path) -> KeptOverlay:
    """The overlay as the kept file holds it, read back (lazily: rows read as they are asked)."""
    path = tmp_path / "overlay.sqlite"
    key = KeptKey("base", "ledger", entry_digests(ops))
    assert write_kept(path, overlay, key)
    got, kept = open_kept(path)
    assert got == key and isinstance(kept, KeptOverlay)
    return kept


def _grown(archive, ops, k: int, tmp_path) -> CorrectedKnowledgeBase:
    """The overlay of the first ``k`` entries, kept and read back, the rest applied on it."""
    base = _round_trip(correct(archive.kb, ops[:k], _find(archive)), ops[:k], tmp_path)
    return CorrectedKnowledgeBase(archive.kb, extend(archive.kb, base, ops, ops[k:], _find(archive)))


def _grown_and_read_back(archive, ops, k: int, tmp_path) -> CorrectedKnowledgeBase:
    """The same, its changed rows written back into the kept file, and the file read again."""
    grown = _grown(archive, ops, k, tmp_path)
    key = KeptKey("base", "ledger", entry_digests(ops))
    assert update_kept(tmp_path / "overlay.sqlite", grown.overlay, key)
    got, kept = open_kept(tmp_path / "overlay.sqlite")
    assert got == key
    return CorrectedKnowledgeBase(archive.kb, kept)


def test_a_cached_or_extended_overlay_answers_as_the_ledger_applied_in_memory(stored, tmp_path):
    """Kept overlay read back lazily == overlay made afresh == the ledger applied in memory,
    and so is one kept for the first entries with the others applied on it, whatever the split."""

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(ledgers(*_ids(stored)), st.integers(0, 8))
    def check(ops, k):
        memory = in_memory(stored.kb)
        outcome = apply_ledger(memory, ops)
        expected = export_document(memory)
        kept = _round_trip(correct(stored.kb, ops, _find(stored)), ops, tmp_path)
        _same_answers(stored, CorrectedKnowledgeBase(stored.kb, kept), memory)  # (asked row by row)
        kept = _round_trip(correct(stored.kb, ops, _find(stored)), ops, tmp_path)
        assert export_document(CorrectedKnowledgeBase(stored.kb, kept)) == expected
        assert [(e.n, why) for e, why in kept.outcome.stale] == [(e.n, why) for e, why in outcome.stale]
        grown = _grown(stored, ops, min(k, len(ops)), tmp_path)
        assert export_document(grown) == expected
        _same_answers(stored, _grown_and_read_back(stored, ops, min(k, len(ops)), tmp_path), memory)
        assert export_document(_grown_and_read_back(stored, ops, min(k, len(ops)), tmp_path)) == expected
        _same_answers(stored, grown, memory)
        assert grown.corrections.applied == outcome.applied
        assert [(e.n, why) for e, why in grown.corrections.stale] == [(e.n, why) for e, why in outcome.stale]
        assert grown.corrections.gone_entities == outcome.gone_entities  # (what the corrections view names)
        assert grown.corrections.gone_facts == outcome.gone_facts

    check()


def test_search_over_an_extended_overlay_finds_what_search_over_memory_finds(stored, tmp_path):
    """The corrections' segments as a chain: the first entries' segment, then one of what the
    others changed (as a reopen after the ledger grew writes them) find what memory finds."""
    from pktui.search import segment

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(ledgers(*_ids(stored)), st.integers(0, 8))
    def check(ops, k):
        k = min(k, len(ops))
        first = CorrectedKnowledgeBase(stored.kb, correct(stored.kb, ops[:k], _find(stored)))
        grown = _grown(stored, ops, k, tmp_path)
        data = [segment.read(stored.folder / "search" / s) for s in _manifest(stored).segments]
        for kb, (articles, entity_ids) in ((first, search_changes(first)), (grown, grown.overlay.grown)):
            if articles or entity_ids:
                data.append(build_segment(kb, articles, entity_ids=entity_ids))
        overlay = SearchIndex(grown, data, deleted_articles=frozenset(_manifest(stored).deleted))
        memory = SearchIndex.build(_in_memory(stored, ops))
        for q in QUERIES:
            assert _found(overlay, q) == _found(memory, q), q

    check()


def test_undoing_every_entry_of_a_kept_overlay_gives_back_the_extraction(stored, tmp_path):
    """Every entry undone, newest first, on top of a kept overlay (as a reopen reads it, and
    after the undo entries were applied: an undo makes it afresh) exports the store as is."""
    from pktui.knowledge.ledger import Entry

    expected = export_document(stored.kb)

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(ledgers(*_ids(stored)))
    def check(ops):
        n = len(ops)
        undos = [Entry(n + k + 1, "undo", {"entry": e.n}, e.at) for k, e in enumerate(reversed(ops))]
        kept = _round_trip(correct(stored.kb, [*ops, *undos], _find(stored)), [*ops, *undos], tmp_path)
        assert export_document(CorrectedKnowledgeBase(stored.kb, kept)) == expected

    check()


def test_a_reader_of_the_kept_file_is_not_changed_under_it_when_another_extends_it(stored, tmp_path):
    kb = stored.kb
    a, b = kb.entities[0].id, kb.entities[1].id
    ops = [entry(1, "merge", entity=a, into=b), entry(2, "rename", entity=b, name="X Y")]
    path = tmp_path / "overlay.sqlite"
    assert write_kept(path, correct(kb, ops[:1], _find(stored)), KeptKey("base", "one", entry_digests(ops[:1])))
    _key, reader = open_kept(path)  # (another process, reading it lazily)
    _key, writer = open_kept(path)
    grown = extend(kb, writer, ops, ops[1:], _find(stored))
    assert update_kept(path, grown, KeptKey("base", "two", entry_digests(ops)))
    assert export_document(CorrectedKnowledgeBase(kb, reader)) == export_document(_in_memory(stored, ops[:1]))
    assert export_document(CorrectedKnowledgeBase(kb, grown)) == export_document(_in_memory(stored, ops))
    assert open_kept(path)[0].ledger == "two"


def test_an_extended_overlay_is_written_from_the_file_it_read_even_when_another_replaced_it(stored, tmp_path):
    kb = stored.kb
    a, b = kb.entities[0].id, kb.entities[1].id
    ops = [entry(1, "merge", entity=a, into=b), entry(2, "rename", entity=b, name="X Y")]
    path = tmp_path / "overlay.sqlite"
    assert write_kept(path, correct(kb, ops[:1], _find(stored)), KeptKey("base", "one", entry_digests(ops[:1])))
    _key, writer = open_kept(path)
    assert write_kept(path, correct(kb, [], _find(stored)), KeptKey("base", "none", []))  # (another process)
    grown = extend(kb, writer, ops, ops[1:], _find(stored))
    assert update_kept(path, grown, KeptKey("base", "two", entry_digests(ops)))
    key, kept = open_kept(path)
    assert key.ledger == "two"
    assert export_document(CorrectedKnowledgeBase(kb, kept)) == export_document(_in_memory(stored, ops))
