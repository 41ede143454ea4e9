"""The command line, run as a user runs it: a subprocess of the installed ``pktui``."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pktui import __version__
from pktui.commands.progress import ProgressBar
from tests.conftest import write_article


def pktui(*args: str, cwd: Path | None = None, env_extra: dict | None = None, timeout: int = 120):
    env = {**os.environ, "NO_COLOR": "1", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "pktui", *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


def test_help_and_version():
    r = pktui("--help")
    assert r.returncode == 0
    for cmd in ("search", "export", "index", "figures", "bench"):
        assert cmd in r.stdout
    r = pktui("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"pktui {__version__}"


def test_bad_usage_exits_2_with_a_message():
    r = pktui("export", "--format", "xml")
    assert r.returncode == 2 and "invalid choice" in r.stderr
    r = pktui("search")
    assert r.returncode == 2 and r.stderr
    r = pktui("search", "x", "--limit", "zero")
    assert r.returncode == 2 and "not a number" in r.stderr


def test_export_json_from_any_folder_uses_the_bundled_corpus(tmp_path):
    r = pktui("export", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["pktui_version"] == __version__
    assert {a["id"] for a in doc["articles"]} == {
        "2022-11-27-lacroix-visits-vietnam-peacekeeping-department",
        "2025-06-14-deputy-defence-minister-receives-lacroix",
    }
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    for e in doc["entities"]:
        assert e["type"] in ("person", "organization", "mission", "country", "location", "unit", "programme", "event")
        for m in e["mentions"]:
            assert texts[m["article"]][m["start"] : m["end"]] == m["text"]
    kinds = {f["kind"] for f in doc["facts"]}
    assert {"quantity", "date", "role", "event"} <= kinds
    for f in doc["facts"]:
        assert texts[f["article"]][f["start"] : f["end"]] == f["text"]
        if f["kind"] == "quantity":
            assert f["qualifier"] in (
                "exact",
                "more_than",
                "over",
                "nearly",
                "about",
                "at_least",
                "up_to",
                "approximately",
            )
    assert any(t["date"] == "2018-09" for t in doc["timeline"])
    ids = [f["id"] for f in doc["facts"]]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"f-[a-z2-7]{12}", i) for i in ids)


def test_export_yaml_to_file_is_the_same_document(tmp_path):
    out = tmp_path / "kb.yaml"
    r = pktui("export", "--format", "yaml", "-o", str(out))
    assert r.returncode == 0, r.stderr
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    r2 = pktui("export", "--format", "json")
    assert doc == json.loads(r2.stdout)


def test_bad_files_are_named_on_stderr_and_the_rest_succeeds(tmp_path):
    write_article(tmp_path, "good.txt", "Việt Nam sent 63 personnel to South Sudan in 2019.")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00binary")
    r = pktui("export", "--format", "json", str(tmp_path))
    assert r.returncode == 0
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "bad.txt" in lines[0] and "binary" in lines[0]
    assert [a["id"] for a in json.loads(r.stdout)["articles"]] == ["good"]


def test_nothing_readable_is_an_error(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00binary")
    r = pktui("export", "--format", "json", str(tmp_path))
    assert r.returncode == 1 and "bad.txt" in r.stderr and "no articles" in r.stderr


def test_a_missing_path_is_bad_usage_naming_it(tmp_path):
    r = pktui("export", "--format", "json", str(tmp_path / "missing"))
    assert r.returncode == 2 and f"{tmp_path / 'missing'}: no such file or folder" in r.stderr
    assert r.stdout == ""


def test_index_fills_the_cache_and_reopening_extracts_nothing(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    for i in range(3):
        write_article(tmp_path / "c", f"a{i}.txt", f"Việt Nam sent {60 + i} personnel to South Sudan.")
    r = pktui("index", str(tmp_path / "c"), env_extra=env)
    assert r.returncode == 0, r.stderr
    assert "3 extracted, 0 unchanged" in r.stderr
    r = pktui("index", str(tmp_path / "c"), env_extra=env)
    assert "0 extracted, 3 unchanged" in r.stderr
    write_article(tmp_path / "c", "a1.txt", "Việt Nam sent 99 personnel to South Sudan.")
    r = pktui("index", str(tmp_path / "c"), env_extra=env)
    assert "1 extracted, 2 unchanged" in r.stderr


def test_import_pktui_loads_no_benchmark_generator():
    """The generators are imported only when ``pktui bench`` runs (the import contracts cannot see laziness)."""
    code = "import sys, pktui, pktui.cli; assert not [m for m in sys.modules if m.startswith('pktui.bench')]"
    r = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_command_line_starts_without_the_extractor_or_the_index():
    """Every command (the browser too) parses its arguments first: that must not load the
    extractor, the corpus index or the corrections machinery (a third of a second)."""
    code = (
        "import sys, pktui.cli; pktui.cli.build_parser(); "
        "heavy = [m for m in sys.modules if m.startswith(('pktui.extract', 'pktui.archive', 'pktui.corpus', "
        "'pktui.knowledge.corrections', 'textual'))]; assert not heavy, heavy"
    )
    r = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_and_left_finished():
    stream = _Terminal()
    with ProgressBar(stream, label="extracting") as progress:
        for done in range(5):
            progress(done, 4)
    out = stream.getvalue()
    assert "extracting" in out and "4/4" in out
    assert "\x1b[?25h" in out  # the cursor shown again


def test_progress_writes_nothing_when_piped():
    stream = io.StringIO()
    with ProgressBar(stream) as progress:
        progress(0, 3)
        progress(3, 3)
    assert stream.getvalue() == ""


def test_progress_clears_up_when_the_work_fails():
    stream = _Terminal()
    with pytest.raises(KeyboardInterrupt), ProgressBar(stream) as progress:
        progress(1, 10)
        raise KeyboardInterrupt
    assert "\x1b[?25h" in stream.getvalue()
