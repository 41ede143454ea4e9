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
