"""Hostile articles and broken files: everything good loads, each bad file is named in one
line, no escape sequence from an article reaches a terminal, nothing crashes or hangs.

The corpus is generated at test time by :mod:`tests.hostile`.
"""

from __future__ import annotations

import errno
import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from pktui.corpus import read_corpus
from pktui.knowledge.loader import load_knowledge
from pktui.text import safe_display
from tests import hostile
from tests.conftest import write_article
from tests.hostile import MARKER, UNSAFE_CHARS, Case, build_hostile_corpus, case_path

SGR_RE = re.compile(r"\x1b\[[0-9;]*m")  # the CLI's own colours and bold: allowed on a terminal


def run(*args: str, env_extra: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "pktui", *args], check=False, capture_output=True, text=True, env=env, timeout=timeout,
        errors="backslashreplace",
    )  # fmt: skip


def run_on_tty(*args: str, timeout: float = 120) -> tuple[int, str, str]:
    """Run the CLI with its standard output on a pseudo-terminal; return (status, tty output, stderr)."""
    master, slave = os.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(TERM="xterm-256color", COLUMNS="120", LINES="40")
    with (
        open(os.devnull, "rb") as devnull,
        subprocess.Popen(
            [sys.executable, "-m", "pktui", *args], stdin=devnull, stdout=slave, stderr=subprocess.PIPE, env=env
        ) as proc,
    ):
        os.close(slave)
        chunks: list[bytes] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError as exc:  # EIO: every copy of the slave side is closed
                if exc.errno != errno.EIO:
                    raise
                break
            if not data:
                break
            chunks.append(data)
        else:
            proc.kill()
            pytest.fail(f"pktui {' '.join(args)} did not finish within {timeout} s")
        err = proc.stderr.read().decode("utf-8", "backslashreplace")
        status = proc.wait(timeout=30)
    os.close(master)
    return status, b"".join(chunks).decode("utf-8", "backslashreplace"), err


def unsafe_in(text: str) -> list[str]:
    return sorted({repr(c) for c in SGR_RE.sub("", text) if c in UNSAFE_CHARS})


def shown(name: str) -> str:
    """A file name as a problem line shows it."""
    return safe_display(name).replace("\n", "\u21b5")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[Case]]:
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    return root, build_hostile_corpus(root)


def _check_offsets(doc_articles: dict[str, str], entities, facts) -> int:
    n = 0
    for e in entities:
        for m in e["mentions"] if isinstance(e, dict) else e.mentions:
            art, s, end, txt = (
                (m["article"], m["start"], m["end"], m["text"])
                if isinstance(m, dict)
                else (m.article, m.start, m.end, m.text)
            )
            assert 0 <= s <= end <= len(doc_articles[art]) and doc_articles[art][s:end] == txt
            n += 1
    for f in facts:
        art, s, end, txt = (
            (f["article"], f["start"], f["end"], f["text"])
            if isinstance(f, dict)
            else (f.article, f.start, f.end, f.text)
        )
        assert 0 <= s <= end <= len(doc_articles[art]) and doc_articles[art][s:end] == txt
        n += 1
    return n


# --- the API ----------------------------------------------------------------------------


def test_every_bad_file_is_one_problem_and_every_good_one_loads(corpus):
    root, cases = corpus
    kb = load_knowledge([root], use_cache=False)
    by_path: dict[str, list] = {}
    for p in kb.problems:
        by_path.setdefault(p.path, []).append(p)
    loaded = {a.path for a in kb.articles}
    for case in cases:
        path = case_path(root, case)
        problems = by_path.pop(path, [])
        if case.outcome == "article":
            assert problems == [], case
            assert path.replace("\udce9", "\ufffd") in loaded, case
        elif case.outcome == "warning":
            assert path in loaded, case
            assert len(problems) == 1 and not problems[0].skipped and case.reason in problems[0].reason, (
                case,
                problems,
            )
        else:
            assert path not in loaded, case
            assert len(problems) == 1 and problems[0].skipped and case.reason in problems[0].reason, (case, problems)
    assert by_path == {}, "problems nobody expected"
    assert len(kb.articles) == hostile.expected_ids(cases)
    assert len({a.id for a in kb.articles}) == len(kb.articles)
    for p in kb.problems:
        line = p.line()
        assert "\n" not in line and not unsafe_in(line), line
    texts = {a.id: a.text for a in kb.articles}
    assert _check_offsets(texts, kb.entities, kb.facts) > 0
    untrusted = next(a for a in kb.articles if a.id == "untrusted")
    assert untrusted.text == hostile.untrusted_body()  # kept exactly as written
    assert any(f.kind == "quantity" and f.value == 63 and f.article == "untrusted" for f in kb.facts)


def test_a_folder_loop_is_read_once(corpus):
    root, _cases = corpus
    c = read_corpus([root, root / "sub"])
    assert [a.id for a in c.articles].count("nested") == 1


def test_an_unreadable_file_is_named_and_the_rest_loads(tmp_path, monkeypatch):
    import pktui.corpus.reader as reader_mod

    write_article(tmp_path, "good.txt", "Việt Nam sent 63 personnel to South Sudan.")
    locked = write_article(tmp_path, "locked.txt", "Nobody may read this.")
    real_open = reader_mod.open_regular

    def guarded_open(file, *args, **kwargs):
        if os.fspath(file) == str(locked):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(reader_mod, "open_regular", guarded_open)
    kb = load_knowledge([tmp_path], use_cache=False)
    assert [a.id for a in kb.articles] == ["good"]
    assert [p.line() for p in kb.problems] == [f"skipped: {locked}: permission denied"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="running as root: chmod 000 does not stop root reading"
)
def test_an_unreadable_file_by_permissions(tmp_path):
    write_article(tmp_path, "good.txt", "Việt Nam sent 63 personnel to South Sudan.")
    locked = write_article(tmp_path, "locked.txt", "Nobody may read this.")
    locked.chmod(0)
    try:
        r = run("export", "--format", "json", str(tmp_path), "--no-cache")
    finally:
        locked.chmod(0o644)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().splitlines() == [f"pktui: skipped: {locked}: permission denied"]


def test_ten_thousand_files_some_bad(tmp_path):
    bad_kinds = (b"\x00\x01binary", b"", "date 2022-01-01 caf\xe9".encode("latin-1"), b"date 2022-01-01   ")
    n_bad = 0
    for i in range(10_000):
        folder = tmp_path / f"d{i // 1000}"
        if i % 1000 == 0:
            folder.mkdir()
        if i % 97 == 0:
            data = bad_kinds[n_bad % len(bad_kinds)]
            n_bad += 1
        else:
            data = f"date 2022-{i % 12 + 1:02d}-{i % 28 + 1:02d} Peacekeepers of unit {i} arrived in Juba.".encode()
        (folder / f"a{i:05d}.txt").write_bytes(data)
    kb = load_knowledge([tmp_path], use_cache=False)
    assert len(kb.articles) == 10_000 - n_bad
    assert len(kb.problems) == n_bad and all(p.skipped for p in kb.problems)
    assert len({p.path for p in kb.problems}) == n_bad
    assert len({a.id for a in kb.articles}) == len(kb.articles)


# --- the command line -------------------------------------------------------------------


def test_cli_names_each_bad_file_in_one_line_and_exports_the_rest(corpus, tmp_path):
    root, cases = corpus
    out = tmp_path / "kb.json"
    r = run("export", "--format", "json", str(root), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert not unsafe_in(r.stderr), unsafe_in(r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert all(ln.startswith(("pktui: skipped: ", "pktui: warning: ")) for ln in lines), lines
    bad = [c for c in cases if c.outcome != "article"]
    assert len(lines) == len(bad), lines
    for case in bad:
        named = [ln for ln in lines if f"{root}/{shown(case.name)}: " in ln]
        assert len(named) == 1 and case.reason in named[0], (case, named)
        assert named[0].startswith("pktui: skipped" if case.outcome == "skipped" else "pktui: warning"), named
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["articles"]) == hostile.expected_ids(cases)
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    assert texts["untrusted"] == hostile.untrusted_body()  # a file keeps the original text
    assert texts[Path(hostile.ODD_GOOD_NAME).stem].startswith("An article with an odd file name")
    assert _check_offsets(texts, doc["entities"], doc["facts"]) > 0


def test_export_to_a_pipe_keeps_the_text_and_yaml_is_the_same_document(corpus, tmp_path):
    root, _cases = corpus
    r = run("export", "--format", "json", str(root))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    body = next(a["text"] for a in doc["articles"] if a["id"] == "untrusted")
    for raw in (hostile.ESC_CLEAR, hostile.OSC52, hostile.RLO, hostile.ZWSP, hostile.C1, *hostile.MARKUP):
        assert raw in body
    out = tmp_path / "kb.yaml"
    r = run("export", "--format", "yaml", str(root), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == doc


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_to_a_terminal_lets_no_escape_through(corpus, fmt):
    root, _cases = corpus
    status, out, err = run_on_tty("export", "--format", fmt, str(root))
    assert status == 0, err
    assert "untrusted" in out and "[bold red]x[/]" in out
    assert not unsafe_in(out), unsafe_in(out)
    assert "\x1b" not in out  # export adds no colours of its own either


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_search_to_a_terminal_lets_no_escape_through(corpus):
    root, _cases = corpus
    status, out, err = run_on_tty("search", MARKER, str(root), "--limit", "50")
    assert status == 0, err
    assert MARKER in out
    assert not unsafe_in(out), unsafe_in(out)
    # markup in an article is printed as typed, never interpreted (no hidden link, no action)
    assert "[bold red]x[/]" in out and "[@click=app.quit]q[/]" in out
    assert "\x1b]8;" not in out  # no OSC 8 hyperlink
    assert "\u241b" in out  # the escape is shown as a visible stand-in
    assert not unsafe_in(err)


def test_search_to_a_pipe_is_clean_and_json_keeps_the_text(corpus):
    root, _cases = corpus
    r = run("search", MARKER, str(root), "--limit", "50")
    assert r.returncode == 0, r.stderr
    assert MARKER in r.stdout and not unsafe_in(r.stdout), unsafe_in(r.stdout)
    r = run("search", MARKER, str(root), "--limit", "50", "--json")
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)
    body = hostile.untrusted_body()
    assert hits
    for h in hits:
        if h["article"] == "untrusted":
            assert body[h["start"] : h["end"]] == h["text"]


def test_a_hostile_query_is_harmless(corpus):
    root, _cases = corpus
    r = run("search", "\x1b[2J\x1b]52;c;SGVsbG8=\x07\u202eqq[bold]zz", str(root))
    assert r.returncode == 0, r.stderr
    assert not unsafe_in(r.stderr) and not unsafe_in(r.stdout)


def test_a_2mb_single_line_article_is_processed(tmp_path):
    """Used to take hours: several extraction steps were quadratic in a sentence or article
    (now extracted in pieces). Kept to about 1,300 counts: ``knowledge/figures.py``
    ``_flag_conflicts`` still compares every pair of same-date figures of a series."""
    body = hostile.long_line_body(filler=1000)
    assert "\n" not in body
    path = tmp_path / "long-line.txt"
    path.write_text("date 2022-11-27 " + body, encoding="utf-8")
    assert path.stat().st_size < 8 * 1024 * 1024
    out = tmp_path / "kb.json"
    r = run("export", "--format", "json", str(path), "-o", str(out), "--no-cache", timeout=600)
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    (article,) = doc["articles"]
    assert article["text"] == body.strip()
    assert _check_offsets({article["id"]: article["text"]}, doc["entities"], doc["facts"]) > 5_000
    # names and counts are found all along the line, not only at its start
    last_quantity = max(f["start"] for f in doc["facts"] if f["kind"] == "quantity")
    assert last_quantity > len(body) * 0.9


def test_a_run_of_abbreviations_splits_in_linear_time():
    """``Gen. Lt. Col. ...`` looked up each word from the sentence start: 50 KB took 16 s, 200 KB 4 min."""
    code = (
        "from pktui.textsplit import sentence_spans\n"
        "from pktui.corpus import read_corpus\n"
        "text = ('Gen. Lt. Col. ' * 30000)\n"
        "assert sentence_spans(text)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_a_50mb_article_is_refused_quickly(tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.write(b"date 2022-01-01 ")
        fh.write(b"Peacekeepers arrived in Juba. " * (50 * 1024 * 1024 // 30 + 1))
    write_article(tmp_path, "small.txt", "Việt Nam sent 63 personnel to South Sudan.")
    r = run("export", "--format", "json", str(tmp_path), timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().splitlines() == [f"pktui: skipped: {big}: larger than the 8 MB article limit"]
    assert [a["id"] for a in json.loads(r.stdout)["articles"]] == ["small"]


# --- user gazetteers --------------------------------------------------------------------


@pytest.mark.parametrize(
    "content,where",
    [
        (
            "countries:\n  - name: Freedonia\n    aliases: [Fredonia, Freedon\n  - name: Sylvania\n",
            ":4: malformed YAML",
        ),
        ("countries:\n  - name: Freedonia\n\taliases: [x]\n", ":3: malformed YAML"),
        ("x: !!python/object/apply:os.system ['echo PWNED']\n", ":1: malformed YAML"),
        ("countries: [1, 2]\n", ":1: entry 1 of 'countries' has no name"),
        ("- just\n- a list\n", ":1: expected a mapping"),
    ],
)
def test_a_malformed_user_gazetteer_is_one_line_naming_file_and_line(tmp_path, content, where):
    gaz = tmp_path / "my gazetteer.yaml"
    gaz.write_text(content, encoding="utf-8")
    r = run("export", "--format", "json", env_extra={"PKTUI_GAZETTEER": str(gaz)})
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"pktui: error: {gaz}{where}"), lines[0]
    assert "PWNED" not in r.stdout + r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("make", ["missing", "folder", "latin1"])
def test_an_unreadable_user_gazetteer_is_one_line_naming_it(tmp_path, make):
    gaz = tmp_path / "gaz.yaml"
    if make == "folder":
        gaz.mkdir()
    elif make == "latin1":
        gaz.write_bytes("countries:\n  - name: Côte\n".encode("latin-1"))
    r = run("export", "--format", "json", env_extra={"PKTUI_GAZETTEER": str(gaz)})
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"pktui: error: {gaz}: cannot read"), r.stderr


def test_a_good_user_gazetteer_is_used(tmp_path):
    gaz = tmp_path / "gaz.yaml"
    gaz.write_text("countries:\n  - name: Freedonia\n    aliases: [Fredonia]\n", encoding="utf-8")
    write_article(tmp_path / "c", "a.txt", "Freedonia sent 40 personnel to South Sudan.")
    r = run("export", "--format", "json", str(tmp_path / "c"), env_extra={"PKTUI_GAZETTEER": str(gaz)})
    assert r.returncode == 0, r.stderr
    assert any(e["name"] == "Freedonia" and e["type"] == "country" for e in json.loads(r.stdout)["entities"])


def test_yaml_is_only_ever_read_with_safe_loaders():
    src = Path(__file__).resolve().parents[1] / "src"
    unsafe = re.compile(
        r"yaml\.(?:unsafe_load|full_load|load_all|unsafe_load_all)\s*\(|Loader\s*=\s*yaml\.(?:Loader|FullLoader|UnsafeLoader|CLoader|CFullLoader|CUnsafeLoader)\b"
    )
    load_call = re.compile(r"yaml\.load\s*\((?P<args>[^)]*)\)")
    bad = []
    for path in sorted(src.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in unsafe.finditer(text):
            bad.append(f"{path}: {m.group(0)}")
        for m in load_call.finditer(text):
            if not re.search(r"Loader\s*=\s*(?:yaml\.)?(?:C?SafeLoader|_SafeLoader)\b", m.group("args")):
                bad.append(f"{path}: {m.group(0)}")
    assert bad == []
    from pktui.domain import _SafeLoader

    assert issubclass(_SafeLoader, (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
