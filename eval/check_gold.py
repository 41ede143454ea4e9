#!/usr/bin/env python3
"""Check hand-made gold files against their articles before they are used for scoring.

Usage: python eval/check_gold.py [ARTICLES_DIR GOLD_DIR]   (default: eval/dev/articles eval/dev/gold)

For every gold YAML file: the article exists; `published` equals the article's `date` header; every
entity mention, quantity quote and date quote is an exact substring of the article body (the text
after the header, which is what export offsets count); entity types and quantity qualifiers are
ones the contract names; quantity values are numbers; date values are YYYY, YYYY-MM, YYYY-MM-DD or
START/END of those with START <= END; no surface string belongs to two entities; nothing in an
`ignore` list is also gold (an ignored date text would hide a correct prediction). Also prints a
line per article: weekday of publication, word count, and counts of gold items. Exit 1 on any error.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

import yaml

TYPES = {"person", "organization", "mission", "country", "location", "unit", "programme", "event"}
QUALIFIERS = {"exact", "more_than", "over", "nearly", "about", "at_least", "up_to", "approximately"}
HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s?")
DATE_PART = re.compile(r"\A\d{4}(-\d{2}(-\d{2})?)?\Z")


def fold(s: str) -> str:
    """The scorer's key: case-, diacritic- and punctuation-insensitive."""
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = "".join(c if c.isalnum() else " " for c in s.lower())
    return " ".join(s.split())


def split_article(raw: str) -> tuple[str | None, str]:
    """(published date or None, body) the way the plain-article reader cuts them."""
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n")
    m = HEADER.match(raw)
    if not m:
        return None, raw
    return m.group(1), raw[m.end() :]


def valid_date_part(v: str) -> bool:
    if not DATE_PART.match(v):
        return False
    parts = [int(x) for x in v.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def valid_date_value(v: str) -> bool:
    pieces = v.split("/")
    if len(pieces) > 2 or not all(valid_date_part(p) for p in pieces):
        return False
    return len(pieces) == 1 or pieces[0] <= pieces[1]


def check_entities(gold: dict, body: str, err) -> None:
    owner: dict[str, str] = {}
    for e in gold.get("entities") or []:
        if e.get("type") not in TYPES:
            err(f"entity {e.get('name')!r}: type {e.get('type')!r}")
        if not e.get("mentions"):
            err(f"entity {e.get('name')!r}: no mentions")
        for m in e.get("mentions") or []:
            if m not in body:
                err(f"entity {e['name']!r}: mention {m!r} not in article")
            key = fold(m)
            if key in owner and owner[key] != e["name"]:
                err(f"mention {m!r} belongs to both {owner[key]!r} and {e['name']!r}")
            owner[key] = e["name"]
        owner.setdefault(fold(str(e.get("name"))), e["name"])
    for x in (gold.get("ignore") or {}).get("entities") or []:
        if fold(x) in owner:
            err(f"ignored entity string {x!r} is a gold name or mention of {owner[fold(x)]!r}")


def check_quantities(gold: dict, body: str, err) -> None:
    for q in gold.get("quantities") or []:
        if q.get("quote") not in body:
            err(f"quantity quote {q.get('quote')!r} not in article")
        if not isinstance(q.get("value"), (int, float)) or isinstance(q.get("value"), bool):
            err(f"quantity {q.get('quote')!r}: value {q.get('value')!r} is not a number")
        if q.get("qualifier") not in QUALIFIERS:
            err(f"quantity {q.get('quote')!r}: qualifier {q.get('qualifier')!r}")
        if not q.get("unit"):
            err(f"quantity {q.get('quote')!r}: no unit")


def check_dates(gold: dict, body: str, err) -> None:
    quotes = set()
    for d in gold.get("dates") or []:
        if d.get("quote") not in body:
            err(f"date quote {d.get('quote')!r} not in article")
        if not valid_date_value(str(d.get("value"))):
            err(f"date {d.get('quote')!r}: value {d.get('value')!r} is not YYYY[-MM[-DD]][/...]")
        quotes.add(fold(str(d.get("quote"))))
    for x in (gold.get("ignore") or {}).get("dates") or []:
        if fold(x) in quotes:
            err(f"ignored date text {x!r} is also a gold date quote")
        if x not in body:
            err(f"ignored date text {x!r} not in article")


def check(path: Path, articles: Path) -> list[str]:
    errors: list[str] = []

    def err(msg: str) -> None:
        errors.append(f"{path.name}: {msg}")

    try:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [f"{path.name}: not YAML ({exc})"]
    art = articles / str(gold.get("article"))
    if not art.is_file():
        return [f"{path.name}: article {gold.get('article')!r} not found"]
    published, body = split_article(art.read_text(encoding="utf-8"))
    if str(gold.get("published")) != str(published):
        err(f"published {gold.get('published')} but article header says {published}")
    check_entities(gold, body, err)
    check_quantities(gold, body, err)
    check_dates(gold, body, err)
    day = date.fromisoformat(published).strftime("%a") if published else "?"
    n = {k: len(gold.get(k) or []) for k in ("entities", "quantities", "dates")}
    print(
        f"{art.name:<48} {published} {day} {len(body.split()):>5} words  "
        f"E {n['entities']:>3}  Q {n['quantities']:>3}  D {n['dates']:>3}"
    )
    return errors


def main() -> int:
    here = Path(__file__).resolve().parent
    articles = Path(sys.argv[1]) if len(sys.argv) > 2 else here / "dev" / "articles"
    golds = Path(sys.argv[2]) if len(sys.argv) > 2 else here / "dev" / "gold"
    errors: list[str] = []
    gold_files = sorted(golds.glob("*.yaml"))
    for p in gold_files:
        errors += check(p, articles)
    paired = {yaml.safe_load(p.read_text(encoding="utf-8")).get("article") for p in gold_files}
    for a in sorted(articles.glob("*.txt")):
        if a.name not in paired:
            errors.append(f"{a.name}: article without gold")
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    print(f"{len(gold_files)} gold files, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
