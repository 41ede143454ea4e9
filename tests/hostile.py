"""A hostile corpus, built in a temporary folder at test time (nothing binary or huge is committed).

``build_hostile_corpus(root)`` writes good articles next to every kind of broken input the
reader must survive and returns what each file should become: an article (maybe with a
warning) or a skipped file, with a word its one-line reason must contain. Tests compare
that against ``kb.problems`` and against the CLI's stderr.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

# --- untrusted text ----------------------------------------------------------------------

ESC_CLEAR = "\x1b[2J"  # CSI: clear the screen
OSC52 = "\x1b]52;c;SGVsbG8=\x07"  # OSC 52: write "Hello" to the clipboard
C0 = "\x00\x07\x08\x0b\x0c\x0e\x1b\x7f"  # NUL BEL BS VT FF SO ESC DEL (NUL in text only, never in a file)
C1 = "\x85\x90\x9b\x9d\x9c"  # NEL DCS CSI OSC ST, the 8-bit forms
RLO = "\u202e"  # right-to-left override
ZWSP = "\u200b"  # zero-width space
MARKUP = ("[bold red]x[/]", "[link=file:///etc/passwd]click[/link]", "[@click=app.quit]q[/]")

#: Every character that must never reach a terminal raw (tab, LF and CR are fine).
UNSAFE_CHARS = frozenset(
    [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + list("\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
    + list("\u2028\u2029\u2060\u2066\u2067\u2068\u2069\ufeff")
)

#: A unique word, so that ``pktui search`` finds the hostile article and nothing else.
MARKER = "Quokkaville"


def untrusted_body() -> str:
    """An article whose facts sit right next to markup and escape sequences (no NUL: files with
    NUL bytes are refused as binary, which is tested separately)."""
    c0 = C0.replace("\x00", "")
    return (
        f"HANOI — {MARKER} peacekeepers {MARKUP[0]}: Việt Nam sent 63 personnel to South Sudan in 2019"
        f"{ESC_CLEAR} and {OSC52} more than 500 officers {MARKUP[1]} on Saturday.\n\n"
        f"{MARKER} {RLO}reversed{ZWSP}text{C1} {c0} {MARKUP[2]} Jean-Pierre Lacroix visited UNMISS in June 2022."
    )


# --- the corpus --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str  # file name (relative to the corpus root), as it is reported
    outcome: str  # "article" (loads, no problem), "warning" (loads, one warning), "skipped"
    reason: str = ""  # a word the one-line problem must contain


def _w(root: Path, name: str | bytes, data: bytes) -> None:
    path = os.path.join(os.fsencode(root), os.fsencode(name))
    with open(path, "wb") as fh:
        fh.write(data)


def _article(body: str, date: str = "2024-03-05") -> bytes:
    return f"date {date} {body}".encode()


GOOD = "Việt Nam sent 63 personnel to South Sudan in 2019. Lt. Gen. Hoang Xuan Chien met Jean-Pierre Lacroix."

#: A file whose name itself is hostile: an escape sequence, a bell and a forged second line.
EVIL_NAME = "evil\x1b]52;c;SGVsbG8=\x07\nskipped: forged.txt"
#: A good article whose name holds an escape and a bidi override.
ODD_GOOD_NAME = "odd\x1b[31mred\u202ename.txt"

HUGE_BYTES = 50 * 1024 * 1024


def build_hostile_corpus(root: Path, *, huge: bool = True) -> list[Case]:
    """Write the hostile corpus under ``root`` (created); return one :class:`Case` per file.

    Files only a POSIX system can make (symlinks, a FIFO, undecodable names) are skipped
    elsewhere. ``huge``: include the 50 MB article (written in a fraction of a second).
    """
    root.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str | bytes, data: bytes | None, outcome: str, reason: str = "") -> None:
        if data is not None:
            _w(root, name, data)
        cases.append(Case(os.fsdecode(name), outcome, reason))

    # good articles, in several accepted shapes
    add("good-plain.txt", _article(GOOD), "article")
    add("good-crlf.txt", _article("First line.\r\n\r\nSecond paragraph about UNMISS.\r\n"), "article")
    add("good-lone-cr.txt", _article("First line.\r\rSecond paragraph about MINUSCA.\r"), "article")
    add("good-bom.txt", codecs.BOM_UTF8 + _article("A BOM-prefixed article about UNIFIL."), "article")
    add("good-leading-space.txt", b"  \n\t" + _article("Indented header, then the body."), "article")
    add("untrusted.txt", _article(untrusted_body(), "2022-11-27"), "article")
    add(ODD_GOOD_NAME, _article("An article with an odd file name about UNISFA."), "article")
    (root / "sub" / "deeper").mkdir(parents=True)
    add("sub/deeper/nested.txt", _article("A nested article about MONUSCO."), "article")

    # loaded with a warning
    add("utf16-le.txt", "date 2022-01-02 Hello from UTF-16 little-endian.".encode("utf-16"), "warning", "UTF-16")
    add(
        "utf16-be.txt",
        codecs.BOM_UTF16_BE + "date 2022-01-03 Hello from UTF-16 big-endian.".encode("utf-16-be"),
        "warning",
        "UTF-16",
    )
    add("impossible-date.txt", b"date 2022-13-45 The month and the day do not exist.", "warning", "impossible date")
    add("unreadable-date.txt", b"date 2022-1x-01 A date with a letter in it.", "warning", "unreadable date")
    add("no-header.txt", b"An article without any date header still counts.", "warning", "date unknown")

    # skipped, each with a reason
    add("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "skipped", "binary")
    add("nul-in-text.txt", _article("Looks like text\x00but holds a NUL byte."), "skipped", "binary")
    add("latin1.txt", "date 2022-01-01 Café in Abidjan, déjà vu.".encode("latin-1"), "skipped", "not UTF-8")
    add("cut-utf8.txt", _article("Việ")[:-1], "skipped", "not UTF-8")  # a sequence cut in half
    add("surrogate-utf8.txt", _article("half a pair: ") + b"\xed\xa0\x80", "skipped", "not UTF-8")
    add("odd-utf16.txt", codecs.BOM_UTF16_LE + "date 2022-01-01 x".encode("utf-16-le") + b"\x00", "skipped", "UTF-16")
    add("empty.txt", b"", "skipped", "empty")
    add("blank.txt", b"  \n\t\r\n   ", "skipped", "empty")
    add("header-only.txt", b"date 2022-01-01   \n\n", "skipped", "no text")
    add(EVIL_NAME + ".txt", b"\x00\x1b[2J binary with a hostile name", "skipped", "binary")
    if huge:
        chunk = b"Peacekeepers arrived in Juba. " * (1024 * 1024 // 30)
        with open(root / "huge-50mb.txt", "wb") as fh:
            fh.write(b"date 2022-01-01 ")
            while fh.tell() < HUGE_BYTES:
                fh.write(chunk)
        cases.append(Case("huge-50mb.txt", "skipped", "limit"))

    # POSIX-only shapes
    if hasattr(os, "symlink"):
        os.symlink("loop-b.txt", root / "loop-a.txt")
        os.symlink("loop-a.txt", root / "loop-b.txt")
        os.symlink("self.txt", root / "self.txt")
        os.symlink("nowhere/missing.txt", root / "dangling.txt")
        cases += [Case(n, "skipped", "symlink") for n in ("loop-a.txt", "loop-b.txt", "self.txt", "dangling.txt")]
        os.symlink("..", root / "sub" / "deeper" / "up")  # a folder loop: must not hang or duplicate
        os.symlink(root / "sub", root / "sub-again")  # the same folder twice: read once
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "fifo.txt")  # opening it would block forever
        cases.append(Case("fifo.txt", "skipped", "not a regular file"))
    if os.name == "posix":
        add(b"caf\xe9-latin1-name.txt", _article("A good article whose file name is not UTF-8."), "article")
    (root / "notes.pdf").write_text("not an article form: ignored", encoding="utf-8")
    (root / "empty-folder").mkdir()
    return cases


def case_path(root: Path, case: Case) -> str:
    """The path as the reader reports it (``str`` of the joined path)."""
    return str(Path(root) / case.name)


def expected_ids(cases: list[Case]) -> int:
    return sum(c.outcome in ("article", "warning") for c in cases)


def long_line_body(size: int = 2 * 1024 * 1024, filler: int = 0) -> str:
    """About ``size`` characters on one line: names, counts, dates, abbreviations, markup and
    long words, with ``filler`` characters of plain words between two such phrases."""
    phrases = (
        "Việt Nam has sent more than 500 officers and soldiers to the UN Mission in South Sudan (UNMISS) since 2014. ",
        "On Saturday, Lt. Gen. Hoang Xuan Chien met Jean-Pierre Lacroix in Hanoi. ",
        "Gen. Lt. Col. Maj. Gen. Sen. Lieu. Gen. ",
        "In 2019 and 2021–2023, 63 personnel, 1,100 troops and 12 engineers served; ",
        "[bold red]x[/] \u202e\u200b ",
        "Word" * 40 + " ",
    )
    plain = "the quick brown fox jumps over the lazy dog near Bentiu and Abyei; "
    gap = (plain * (filler // len(plain) + 1))[:filler]
    out = []
    n = 0
    i = 0
    while n < size:
        p = phrases[i % len(phrases)] + gap
        out.append(p)
        n += len(p)
        i += 1
    return "".join(out)[:size]
