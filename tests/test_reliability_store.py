"""The corpus index on the command line when its rows are wrong (issue 20, row 6), on a corpus
whose files did not move (a scan from the memo finds nothing to do): every bad row is named on
stderr by the command that met it, and the next command extracts its article again."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pktui.archive import corpus_folder, open_archive
from tests.test_archive import clean, write_corpus


@pytest.fixture
def settled_corpus(tmp_path, monkeypatch) -> Path:
    """Twelve articles written an hour ago (files changed in the last seconds are looked at
    again whatever the memo says), indexed once."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    folder = tmp_path / "corpus"
    write_corpus(folder, 12)
    past = time.time() - 3600
    for p in [folder, *folder.iterdir()]:
        os.utime(p, (past, past))
    open_archive([folder], with_search=False).close()
    return folder


def export(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pktui", "export", "--format", "json", str(folder)],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )


def spoil(folder: Path, sql: str, article: str) -> None:
    conn = sqlite3.connect(corpus_folder([folder]) / "knowledge.sqlite3")
    with conn:
        (n,) = conn.execute("SELECT n FROM article WHERE id = ?", (article,)).fetchone()
        conn.execute(sql, (n,))
    conn.close()


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("UPDATE mention SET entity = 'person/nobody' WHERE article = ?", "a mention points at no entity"),
        (
            "UPDATE fact SET start = 90000, end = 90010 WHERE n = (SELECT MIN(n) FROM fact WHERE article = ?)",
            "outside the text",
        ),
        ("UPDATE fact SET data = '{not json' WHERE article = ?", "not trusted"),
    ],
    ids=["mention-to-no-entity", "offsets-out-of-range", "not-json"],
)
def test_a_bad_row_is_named_by_the_export_and_extracted_again_by_the_next(settled_corpus, sql, why):
    expected = clean(settled_corpus)
    spoil(settled_corpus, sql, "a004")
    first = export(settled_corpus)
    assert first.returncode == 0, first.stderr
    lines = first.stderr.splitlines()
    assert lines and all(ln.startswith("pktui: warning: a004: stored row not trusted") for ln in lines), lines
    assert why in first.stderr and "extracted again at the next open" in first.stderr
    second = export(settled_corpus)
    assert second.returncode == 0 and second.stderr == "", second.stderr
    assert json.loads(second.stdout) == json.loads(json.dumps(expected))
