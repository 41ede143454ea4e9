"""Corrections recorded on an open corpus: checked, written, obeyed after the reopen."""

from __future__ import annotations

import shutil

import pytest

from pktui.archive import open_archive
from pktui.archive.corrections import CorrectionRefused, record, undo
from pktui.corpus import bundled_corpus_dir

DEPT = "organization/viet-nam-department-of-peacekeeping-operations"
MND = "organization/ministry-of-national-defence"


@pytest.fixture
def archive(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "corpus"
    shutil.copytree(bundled_corpus_dir(), folder)
    opened = open_archive([folder], corrections=folder / "pktui-corrections.yaml")
    yield opened
    opened.close()


def test_a_recorded_merge_is_obeyed_at_once_and_undone(archive):
    assert archive.kb.entity(DEPT) is not None
    entry = record(archive, "merge", {"entity": DEPT, "into": MND}, "one body")
    assert entry.n == 1 and archive.ledger.exists()
    assert archive.kb.entity(DEPT) is None
    assert archive.kb.entity(MND).corrected == (1,)
    undone, target = undo(archive)
    assert (undone.n, target.n) == (2, 1)
    assert archive.kb.entity(DEPT) is not None
    assert archive.kb.entity(MND).corrected == ()


def test_a_correction_naming_nothing_leaves_the_ledger_alone(archive):
    with pytest.raises(CorrectionRefused, match="person/nobody"):
        record(archive, "merge", {"entity": "person/nobody", "into": MND})
    assert not archive.ledger.exists()


def test_undo_with_nothing_in_effect_is_refused(archive):
    with pytest.raises(CorrectionRefused):
        undo(archive)


def _reopen(archive):
    return open_archive(**{**archive.opened_with, "progress": None, "with_search": False})


def _kept(archive):
    from pktui.archive.corrected import CORRECTIONS, OVERLAY

    return archive.folder / CORRECTIONS / OVERLAY


def test_the_overlay_is_kept_read_back_and_extended_as_the_ledger_grows(archive):
    record(archive, "merge", {"entity": DEPT, "into": MND})
    again = _reopen(archive)
    assert again.kb.overlay_from == "cached" and again.kb.entity(DEPT) is None
    again.close()
    record(archive, "rename", {"entity": MND, "name": "Defence Ministry"})
    assert archive.kb.overlay_from == "extended"  # (the reopen after recording)
    again = _reopen(archive)
    assert again.kb.overlay_from == "cached"
    assert again.kb.entity(MND).name == "Defence Ministry" and again.kb.entity(MND).corrected == (1, 2)
    assert again.kb.entity(DEPT) is None
    again.close()
    undo(archive)  # an undo may take back anything: the whole ledger is applied again
    assert archive.kb.overlay_from == "made"
    assert archive.kb.entity(MND).name != "Defence Ministry" and archive.kb.entity(DEPT) is None


def test_a_damaged_kept_overlay_is_made_again_with_a_warning(archive):
    record(archive, "merge", {"entity": DEPT, "into": MND})
    _kept(archive).write_text('{"format": 1, "base": "', encoding="utf-8")
    again = _reopen(archive)
    assert again.kb.overlay_from == "made" and again.kb.entity(DEPT) is None
    assert any("corrections cache" in p.reason and "made again" in p.reason for p in again.kb.problems)
    again.close()
    again = _reopen(archive)  # written again whole
    assert again.kb.overlay_from == "cached" and not any("corrections cache" in p.reason for p in again.kb.problems)
    again.close()


def test_where_the_overlay_cannot_be_kept_it_is_used_from_memory(archive, monkeypatch):
    from pktui.knowledge.store import overlay_kept

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(overlay_kept, "_fill", disk_full)
    record(archive, "merge", {"entity": DEPT, "into": MND})
    assert not _kept(archive).exists()
    again = _reopen(archive)
    assert again.kb.overlay_from == "made" and again.kb.entity(DEPT) is None
    assert not any("corrections cache" in p.reason for p in again.kb.problems)
    again.close()


def _chain(archive) -> list[str]:
    import json

    from pktui.archive.corrected import CHAIN, CORRECTIONS

    return json.loads((archive.folder / CORRECTIONS / CHAIN).read_text(encoding="utf-8"))["segments"]


def _entity_hits(archive, query: str) -> set[str]:
    return {h.id for h in archive.index.search(query, limit=50) if h.kind == "entity"}


def test_a_grown_ledger_adds_a_search_segment_of_what_its_new_entries_changed(archive):
    record(archive, "merge", {"entity": DEPT, "into": MND})
    assert len(_chain(archive)) == 1 and MND in _entity_hits(archive, "VDPO")
    record(archive, "rename", {"entity": MND, "name": "Quartermaster Office"})
    assert len(_chain(archive)) == 2  # the first kept, one more of the rename
    assert MND in _entity_hits(archive, "quartermaster") and MND in _entity_hits(archive, "VDPO")
    assert DEPT not in _entity_hits(archive, "peacekeeping operations department")
    again = open_archive(**{**archive.opened_with, "progress": None})
    try:
        assert again.kb.overlay_from == "cached" and len(_chain(again)) == 2
        assert MND in _entity_hits(again, "quartermaster")
    finally:
        again.close()
    undo(archive)  # written again as one
    assert len(_chain(archive)) == 1 and MND not in _entity_hits(archive, "quartermaster")


def test_the_entity_part_of_the_corrections_search_is_kept_and_mapped_on_reopen(archive):
    from pktui.archive.corrected import CORRECTIONS, ENTITIES

    record(archive, "merge", {"entity": DEPT, "into": MND})
    record(archive, "rename", {"entity": MND, "name": "Quartermaster Office"})
    kept = [p for p in (archive.folder / CORRECTIONS).iterdir() if p.name.endswith(ENTITIES)]
    assert len(kept) == 1  # (written at the open after recording; the first entry's one removed)
    again = open_archive(**{**archive.opened_with, "progress": None})
    try:
        assert again.index.ent.data.folder == kept[0]  # mapped, not merged again
        assert MND in _entity_hits(again, "quartermaster") and MND in _entity_hits(again, "VDPO")
        assert DEPT not in _entity_hits(again, "peacekeeping operations department")
    finally:
        again.close()
    shutil.rmtree(kept[0])  # gone (or damaged): merged again, and kept again
    again = open_archive(**{**archive.opened_with, "progress": None})
    try:
        assert again.index.ent.data.folder != kept[0] and MND in _entity_hits(again, "quartermaster")
    finally:
        again.close()
    assert kept[0].is_dir()


def test_a_grown_ledger_is_read_from_where_the_kept_one_ended(archive, monkeypatch):
    from pktui.archive import corrected
    from pktui.knowledge.ledger import append_entry

    record(archive, "merge", {"entity": DEPT, "into": MND})
    append_entry(archive.ledger, "rename", {"entity": MND, "name": "Defence Ministry"})

    def whole_ledger_read(path):
        raise AssertionError("the whole ledger was parsed")

    with monkeypatch.context() as m:
        m.setattr(corrected, "read_ledger", whole_ledger_read)
        again = _reopen(archive)
    assert again.kb.overlay_from == "extended" and again.kb.entity(MND).name == "Defence Ministry"
    assert again.kb.entity(MND).corrected == (1, 2) and again.kb.entity(DEPT) is None
    again.close()


def test_a_ledger_changed_before_its_end_is_applied_whole(archive):
    record(archive, "merge", {"entity": DEPT, "into": MND})
    record(archive, "rename", {"entity": MND, "name": "Defence Ministry"})
    text = archive.ledger.read_text(encoding="utf-8")
    archive.ledger.write_text(text.replace("  into:", "  note: the same office\n  into:", 1), encoding="utf-8")
    again = _reopen(archive)
    assert again.kb.overlay_from == "made" and again.kb.entity(DEPT) is None
    assert again.kb.entity(MND).name == "Defence Ministry"
    again.close()
    with archive.ledger.open("a", encoding="utf-8") as fh:  # more of the last entry, not an entry
        fh.write("  note: renamed by hand\n")
    again = _reopen(archive)
    assert again.kb.overlay_from == "made" and again.kb.entity(MND).name == "Defence Ministry"
    again.close()


def test_a_grown_overlay_that_cannot_be_written_back_is_used_from_memory(archive, monkeypatch):
    import sqlite3

    from pktui.knowledge.store import overlay_kept_update

    record(archive, "merge", {"entity": DEPT, "into": MND})

    def disk_io_error(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    with monkeypatch.context() as m:
        m.setattr(overlay_kept_update, "_put_changes", disk_io_error)
        record(archive, "rename", {"entity": MND, "name": "Defence Ministry"})
    assert archive.kb.overlay_from == "extended" and archive.kb.entity(MND).name == "Defence Ministry"
    assert [e.id for e in archive.kb.entities if e.id == DEPT] == []
    again = _reopen(archive)  # (the file was left as it was: the new entry applied on it again)
    assert again.kb.overlay_from == "extended" and again.kb.entity(MND).name == "Defence Ministry"
    again.close()
