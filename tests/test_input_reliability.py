"""Inputs the user names, adversarially (issue 20 rows 2, 3, 7, 8, 9, 11, 12 and the smaller
items; issue 19 point 4): nothing hangs, nothing is lost without a word, nothing escapes to
a terminal, a failed write leaves the old file whole."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from pktui.corpus import read_corpus
from pktui.fileio import UserFileError, atomic_output, load_user_yaml, read_regular
from tests.conftest import write_article
from tests.hostile import UNSAFE_CHARS, untrusted_body
from tests.test_hostile_input import run_on_tty, unsafe_in

GOOD = "Việt Nam sent 63 personnel to South Sudan in 2019."
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def pktui(*args: str, env_extra: dict | None = None, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "pktui", *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        **kw,
    )


# -- row 2: a FIFO named as a PATH; row 11: an empty PATH --------------------------------


@needs_fifo
def test_a_fifo_named_on_the_command_line_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    r = pktui("export", "--format", "json", str(fifo), timeout=20)
    assert r.returncode == 2 and f"{fifo}: not a regular file: a FIFO" in r.stderr
    good = write_article(tmp_path / "c", "good.txt", GOOD)
    r = pktui("export", "--format", "json", str(fifo), str(good), "--no-cache", timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [f"pktui: skipped: {fifo}: not a regular file: a FIFO"]
    assert [a["id"] for a in json.loads(r.stdout)["articles"]] == ["good"]


def test_an_empty_path_is_refused_not_read_as_the_current_folder(tmp_path):
    write_article(tmp_path, "here.txt", GOOD)
    r = pktui("export", "--format", "json", "", cwd=tmp_path)
    assert r.returncode == 2 and "empty path" in r.stderr and r.stdout == ""
    r = pktui("", cwd=tmp_path)  # the browser: refused before anything opens
    assert r.returncode == 2 and "empty path" in r.stderr


def test_a_device_or_a_symlink_to_one_is_named_as_such(tmp_path):
    write_article(tmp_path, "good.txt", GOOD)
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    c = read_corpus([tmp_path])
    assert [a.id for a in c.articles] == ["good"]
    assert [(p.path, p.reason) for p in c.problems] == [
        (str(tmp_path / "zero.txt"), "symlink to a character device, not a file")
    ]
    c = read_corpus(["/dev/null"])
    assert c.problems[0].reason == "not a regular file: a character device"


# -- row 3: paths of any length ------------------------------------------------------------


def test_an_article_under_a_path_longer_than_the_system_limit_is_read(tmp_path):
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for i in range(20):  # 20 folders of 240 bytes: a path of about 4,900 bytes
            name = f"{i:02d}" + "d" * 238
            os.mkdir(name, dir_fd=fd)
            nxt = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nxt
        out = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, f"date 2024-03-05 {GOOD}".encode())
        os.close(out)
    finally:
        os.close(fd)
    c = read_corpus([tmp_path])
    assert c.problems == []
    (a,) = c.articles
    assert a.id == "deep" and len(os.fsencode(a.path)) > 4096 and a.text == GOOD


# -- symlinks out of the corpus, hidden files ----------------------------------------------


def test_a_symlink_leading_out_of_the_corpus_is_not_followed_unless_asked(tmp_path):
    secret = write_article(tmp_path / "outside", "secret.txt", "A private note about 12 keys.")
    corpus = tmp_path / "corpus"
    write_article(corpus, "good.txt", GOOD)
    os.symlink(secret, corpus / "link.txt")
    os.symlink(tmp_path / "outside", corpus / "linked-folder")
    os.symlink(corpus / "good.txt", corpus / "inside-link.txt")  # stays inside: read (once)
    c = read_corpus([corpus])
    assert [a.id for a in c.articles] == ["good"]
    reasons = {Path(p.path).name: p.reason for p in c.problems}
    assert set(reasons) == {"link.txt", "linked-folder"}
    assert all("leads out of the corpus folders" in r and "--follow-links" in r for r in reasons.values())
    assert c.summary.outside_links == 2
    r = pktui("export", "--format", "json", str(corpus), "--no-cache", "--follow-links")
    assert r.returncode == 0, r.stderr
    # the secret once, by the first name met (link.txt; linked-folder/secret.txt is the same file)
    assert sorted(a["id"] for a in json.loads(r.stdout)["articles"]) == ["good", "link"]


def test_hidden_files_skipped_are_counted_and_said(tmp_path):
    write_article(tmp_path, "good.txt", GOOD)
    write_article(tmp_path, ".draft.txt", "A hidden draft.")
    write_article(tmp_path / ".git", "objects.txt", "Not an article.")
    assert read_corpus([tmp_path]).summary.hidden == 2
    r = pktui("export", "--format", "json", str(tmp_path), "--no-cache")
    assert r.returncode == 0 and r.stderr.splitlines() == ["pktui: note: 2 hidden file(s) or folder(s) skipped"]


def test_the_corrections_ledger_beside_the_articles_is_neither_read_nor_counted(tmp_path):
    write_article(tmp_path, "good.txt", GOOD)
    (tmp_path / "pktui-corrections.yaml").write_text("[]\n", encoding="utf-8")
    (tmp_path / ".pktui-corrections.yaml.lock").write_text("", encoding="utf-8")
    summary = read_corpus([tmp_path]).summary
    assert (summary.hidden, summary.other_files) == (0, 0)
    r = pktui("export", "--format", "json", str(tmp_path), "--no-cache")
    assert r.returncode == 0 and r.stderr == ""


# -- rows 7 and 8: user YAML and data files ------------------------------------------------

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi")
)


def test_a_billion_laughs_gazetteer_is_refused_naming_the_file(tmp_path):
    gaz = tmp_path / "gaz.yaml"
    gaz.write_text(BOMB + "countries: *i\n", encoding="utf-8")
    r = pktui("export", "--format", "json", env_extra={"PKTUI_GAZETTEER": str(gaz)}, timeout=30)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        f"pktui: error: {gaz}: refused: its aliases expand to more than 5,000,000 values (a 'billion laughs' file?)"
    ]
    with pytest.raises(UserFileError, match="recursive alias"):
        load_user_yaml("a: &a [1, *a]\n", "self.yaml")


def test_a_billion_laughs_config_is_refused_and_the_rest_runs(tmp_path):
    (tmp_path / "pktui").mkdir()
    (tmp_path / "pktui" / "config.yaml").write_text(BOMB + "fields: *i\n", encoding="utf-8")
    r = pktui("export", "--format", "json", env_extra={"XDG_CONFIG_HOME": str(tmp_path)}, timeout=60)
    assert r.returncode == 0
    assert "billion laughs" in r.stderr and len(r.stderr.splitlines()) == 1


@needs_fifo
def test_config_gazetteer_and_queries_that_are_fifos_or_devices_never_hang(tmp_path):
    config = tmp_path / "config"
    (config / "pktui").mkdir(parents=True)
    os.mkfifo(config / "pktui" / "config.yaml")
    r = pktui("export", "--format", "json", env_extra={"XDG_CONFIG_HOME": str(config)}, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [
        f"pktui: config error: {config}/pktui/config.yaml: cannot read: not a regular file: a FIFO"
    ]
    r = pktui("export", "--format", "json", env_extra={"PKTUI_GAZETTEER": "/dev/zero"}, timeout=30)
    assert r.returncode == 1
    assert r.stderr.splitlines() == ["pktui: error: /dev/zero: cannot read: not a regular file: a character device"]
    fifo = tmp_path / "queries.txt"
    os.mkfifo(fifo)
    r = pktui("bench", "--queries", str(fifo), timeout=60)
    assert r.returncode == 1 and f"{fifo}: cannot read: not a regular file: a FIFO" in r.stderr
    with pytest.raises(UserFileError, match=r"big\.yaml: cannot read: larger than 1,024 bytes"):
        read_regular(_big_file(tmp_path), limit=1024)


def _big_file(tmp_path: Path) -> Path:
    p = tmp_path / "big.yaml"
    p.write_bytes(b"x" * 4096)
    return p


def test_a_gazetteer_type_error_names_file_and_line(tmp_path):
    gaz = tmp_path / "gaz.yaml"
    gaz.write_text("countries:\n  - name: Freedonia\n  - [not, a, mapping]\n", encoding="utf-8")
    r = pktui("export", "--format", "json", env_extra={"PKTUI_GAZETTEER": str(gaz)}, timeout=60)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [f"pktui: error: {gaz}:3: entry 2 of 'countries' has no name"]
    gaz.write_text("countries:\n  - name: Freedonia\n    aliases: 7\n", encoding="utf-8")
    r = pktui("export", "--format", "json", env_extra={"PKTUI_GAZETTEER": str(gaz)}, timeout=60)
    assert r.returncode == 0, r.stderr  # a lone value where a list is expected is a list of one


# -- row 9: search --json on a terminal ----------------------------------------------------


def test_search_json_on_a_terminal_escapes_controls_and_keeps_the_document(tmp_path):
    write_article(tmp_path, "untrusted.txt", untrusted_body(), date="2022-11-27")
    status, out, err = run_on_tty("search", "Quokkaville", str(tmp_path), "--json", "--no-cache")
    assert status == 0, err
    assert not unsafe_in(out), unsafe_in(out)
    hits = json.loads(out)
    assert hits and any(any(c in h["text"] for c in UNSAFE_CHARS if c not in "\x1b") for h in hits)
    r = pktui("search", "Quokkaville", str(tmp_path), "--json", "--no-cache")  # a pipe: the original
    assert json.loads(r.stdout) == hits


# -- row 12 and issue 19 point 4: the command line -----------------------------------------


def test_the_browser_never_starts_without_a_terminal(tmp_path):
    write_article(tmp_path, "good.txt", GOOD)
    r = pktui(str(tmp_path), timeout=30)
    assert r.returncode == 2 and "the browser needs a terminal" in r.stderr


def test_an_unknown_command_or_missing_path_is_bad_usage(tmp_path):
    r = pktui("serach", "lacroix", cwd=tmp_path, timeout=30)
    assert r.returncode == 2
    assert r.stderr.strip() == "pktui: error: unknown command or path 'serach' (did you mean 'search'?)"
    r = pktui("nothing-like-it", cwd=tmp_path, timeout=30)
    assert r.returncode == 2 and "unknown command or path 'nothing-like-it' (commands: search," in r.stderr
    r = pktui("search", "x", str(tmp_path / "missing"), timeout=30)
    assert r.returncode == 2 and f"{tmp_path / 'missing'}: no such file or folder" in r.stderr
    (tmp_path / "empty").mkdir()
    r = pktui(str(tmp_path / "empty"), timeout=30)  # no browser on an empty corpus
    assert r.returncode == 2 and "no article files" in r.stderr


# -- -o FILE is written atomically ---------------------------------------------------------


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_failed_export_leaves_the_old_file_whole(tmp_path):
    out = tmp_path / "kb.json"
    out.write_text('{"old": true}\n', encoding="utf-8")
    r = pktui("export", "--format", "json", "-o", str(out), preexec_fn=_limit_file_size)  # the export is > 20 KB
    assert r.returncode == 1 and r.stderr.splitlines()[-1] == f"pktui: error: {out}: cannot write: File too large"
    assert out.read_text(encoding="utf-8") == '{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.json"]  # no temporary file left
    r = pktui("export", "--format", "json", "-o", str(out))
    assert r.returncode == 0 and json.loads(out.read_text(encoding="utf-8"))["articles"]


def test_atomic_output_keeps_the_mode_and_writes_devices_directly(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    with pytest.raises(RuntimeError), atomic_output(target) as fh:
        fh.write("half")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    with atomic_output(target) as fh:
        fh.write("new")
    assert target.read_text(encoding="utf-8") == "new" and (target.stat().st_mode & 0o777) == 0o640
    with atomic_output("/dev/null") as fh:
        fh.write("gone")
    assert os.path.exists("/dev/null") and not Path("/dev/null").is_file()
