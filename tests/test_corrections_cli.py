"""``pktui correct``, run as a user runs it, and every command obeying the ledger."""

from __future__ import annotations

import json
import shutil

import pytest

from pktui.corpus import bundled_corpus_dir
from tests.test_cli import pktui


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(bundled_corpus_dir(), folder)
    return folder


def export(corpus) -> dict:
    r = pktui("export", "--format", "json", str(corpus))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def fact_id(doc: dict, text: str) -> str:
    return next(f["id"] for f in doc["facts"] if f["text"] == text)


def test_merge_is_recorded_and_obeyed_by_export_search_and_figures(corpus):
    dept = "organization/viet-nam-department-of-peacekeeping-operations"
    mnd = "organization/ministry-of-national-defence"
    r = pktui("correct", "merge", dept, mnd, str(corpus), "--note", "one body here")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("entry 1: merge")
    ledger = (corpus / "pktui-corrections.yaml").read_text(encoding="utf-8")
    assert "op: merge" in ledger and "note: one body here" in ledger
    doc = export(corpus)
    ids = {e["id"]: e for e in doc["entities"]}
    assert dept not in ids
    assert ids[mnd]["corrected"] == [1] and "VDPO" in ids[mnd]["aliases"]
    assert all(dept not in f["entities"] for f in doc["facts"])
    r = pktui("search", "VDPO", str(corpus), "--json", "--limit", "5")
    assert r.returncode == 0, r.stderr
    assert any(mnd in hit.get("entities", []) or hit.get("id") == mnd for hit in json.loads(r.stdout))


def test_reject_and_set_change_the_figures(corpus):
    doc = export(corpus)
    f512, f252 = fact_id(doc, "512 Vietnamese officers and soldiers"), fact_id(doc, "252 medical staff")
    assert pktui("correct", "reject", f512, str(corpus)).returncode == 0
    assert pktui("correct", "set", f252, "value=260", "qualifier=about", str(corpus)).returncode == 0
    r = pktui("figures", str(corpus), "--json")
    assert r.returncode == 0, r.stderr
    points = [p for s in json.loads(r.stdout) for p in s["points"]]
    assert all(p["fact"] != f512 for p in points)
    p252 = next(p for p in points if p["fact"] == f252)
    assert (p252["value"], p252["qualifier"]) == (260, "about")
    doc = export(corpus)
    assert f512 not in {f["id"] for f in doc["facts"]}
    assert next(f for f in doc["facts"] if f["id"] == f252)["corrected"] == [2]


def test_unknown_ids_are_exit_2_and_leave_the_ledger_alone(corpus):
    r = pktui("correct", "merge", "organization/vietnam-peoples-army", "country/viet-nam", str(corpus))
    assert r.returncode == 2
    assert "unknown entity 'organization/vietnam-peoples-army'" in r.stderr
    assert "did you mean 'organization/vietnam-people-s-army'" in r.stderr
    assert pktui("correct", "reject", "f-nothing", str(corpus)).returncode == 2
    assert pktui("correct", "retype", "country/viet-nam", "planet", str(corpus)).returncode == 2
    assert pktui("correct", "set", "f-nothing", str(corpus)).returncode == 2
    assert not (corpus / "pktui-corrections.yaml").exists()


def test_list_and_undo(corpus):
    doc = export(corpus)
    f512 = fact_id(doc, "512 Vietnamese officers and soldiers")
    pktui("correct", "reject", f512, str(corpus))
    r = pktui("correct", "undo", str(corpus))
    assert r.returncode == 0 and r.stdout.startswith("entry 2: undo 1")
    assert f512 in {f["id"] for f in export(corpus)["facts"]}
    r = pktui("correct", "list", str(corpus))
    lines = r.stdout.splitlines()
    assert lines[0].split()[0] == "1" and "[undone by 2]" in lines[0]
    r = pktui("correct", "list", "--json", str(corpus))
    states = [(e["n"], e["op"], e["state"]) for e in json.loads(r.stdout)]
    assert states == [(1, "reject", "undone"), (2, "undo", "in effect")]
    assert pktui("correct", "undo", "1", str(corpus)).returncode == 2  # already undone
    assert pktui("correct", "undo", "2", str(corpus)).returncode == 0  # undo the undo: rejected again
    assert f512 not in {f["id"] for f in export(corpus)["facts"]}


def test_a_malformed_ledger_is_one_line_and_the_corpus_still_loads(corpus):
    (corpus / "pktui-corrections.yaml").write_text("- n: 1\n  op: merge\n  entity: [oops\n", encoding="utf-8")
    r = pktui("export", "--format", "json", str(corpus))
    assert r.returncode == 0
    assert len(json.loads(r.stdout)["articles"]) == 2
    lines = [line for line in r.stderr.splitlines() if "pktui-corrections.yaml" in line]
    assert len(lines) == 1 and "pktui-corrections.yaml:" in lines[0] and "malformed YAML" in lines[0]


def test_a_stale_correction_is_reported_on_every_load(corpus):
    (corpus / "pktui-corrections.yaml").write_text(
        "- n: 1\n  op: reject\n  target: f-gone\n  at: '2026-01-01T00:00:00+00:00'\n", encoding="utf-8"
    )
    r = pktui("export", "--format", "json", str(corpus))
    assert r.returncode == 0
    assert "correction 1 (reject f-gone) is stale: no fact f-gone" in r.stderr


def test_corrections_file_option_and_the_bundled_sample(tmp_path):
    ledger = tmp_path / "mine.yaml"
    r = pktui("correct", "retype", "unit/level-2-field-hospital", "programme", "--corrections", str(ledger))
    assert r.returncode == 0, r.stderr
    assert ledger.exists()
    r = pktui("export", "--format", "json", "--corrections", str(ledger))
    types = {e["id"]: e["type"] for e in json.loads(r.stdout)["entities"]}
    assert types["unit/level-2-field-hospital"] == "programme"
