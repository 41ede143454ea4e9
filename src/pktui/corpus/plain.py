"""Plain articles (``date YYYY-MM-DD`` then the body) and Markdown / text with front matter.

The plain format (see the project contract): optional white space, ``date YYYY-MM-DD``, the
body on the same line, paragraphs separated by blank lines. Front matter is YAML between
``---`` lines at the top; its keys (``date``, ``title``, ``url``, ``source``, ``author``, or
any name the user maps) give the metadata, and the rest is the body. A Markdown body is read
as text: markup gone, each block a paragraph.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pktui.corpus.base import Draft, clean_body, clean_field
from pktui.corpus.dates import parse_published
from pktui.corpus.fields import FieldMap, as_text
from pktui.text import fold, one_line

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_HEADER_RE = re.compile(r"\A\s*date[ \t]+(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])[ \t]*")
_BAD_HEADER_RE = re.compile(r"\A\s*date[ \t]+(\S+)[ \t]*")
_FRONT_OPEN_RE = re.compile(r"\A---[ \t]*\n")
_FRONT_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
#: front matter longer than this is not front matter (a rule line opening a long text)
MAX_FRONT_MATTER = 256 * 1024


def normalise_newlines(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def parse_article_text(raw: str) -> tuple[date | None, str, str | None]:
    """Split the raw file text into (published date, body, warning)."""
    text = normalise_newlines(raw)
    warning = None
    published = None
    m = _HEADER_RE.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        try:
            published = date(y, mo, d)
        except ValueError:
            warning = f"impossible date {m.group(1)}-{m.group(2)}-{m.group(3)} in the header; date unknown"
        body = text[m.end() :]
    else:
        bad = _BAD_HEADER_RE.match(text)
        if bad and re.match(r"\d", bad.group(1)):
            warning = f"unreadable date {one_line(bad.group(1))[:20]!r} in the header; date unknown"
            body = text[bad.end() :]
        else:
            warning = "no 'date YYYY-MM-DD' header; date unknown"
            body = text
    return published, body.strip(), warning


def has_front_matter(text: str) -> bool:
    text = text.lstrip("\ufeff")
    if not _FRONT_OPEN_RE.match(normalise_newlines(text[:8])):
        return False
    head = normalise_newlines(text[: MAX_FRONT_MATTER + 8])
    return _FRONT_CLOSE_RE.search(head, 4) is not None


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter YAML or None, body, line number where the body starts)."""
    text = normalise_newlines(text)
    m = _FRONT_OPEN_RE.match(text)
    if m is None:
        return None, text, 1
    close = _FRONT_CLOSE_RE.search(text, m.end(), m.end() + MAX_FRONT_MATTER)
    if close is None:
        return None, text, 1
    front = text[m.end() : close.start()]
    rest_line = text.count("\n", 0, close.end()) + 2
    return front, text[close.end() :], rest_line


def read_plain(raw: str, shown: str, base_id: str) -> tuple[Draft | None, list[str], str | None]:
    """A ``date YYYY-MM-DD`` article -> (draft, warnings, reason it was refused)."""
    published, body, warning = parse_article_text(raw)
    body = clean_body(body)
    if not body:
        return None, [], "no text after the date header"
    return Draft(shown, body, published, base_id=base_id, identity=shown), [warning] if warning else [], None


def read_front_matter(
    raw: str, shown: str, base_id: str, fields: FieldMap, markdown: bool
) -> tuple[Draft | None, list[str], str | None]:
    """A file opening with front matter (or a Markdown note) -> (draft, warnings, refusal)."""
    front, body, _body_line = split_front_matter(raw)
    warnings: list[str] = []
    meta: dict[str, Any] = {}
    if front is not None:
        meta, problem = _front_matter_values(front, shown)
        if problem:
            warnings.append(problem)
    header_date = None
    if _HEADER_RE.match(body) or (front is None and _BAD_HEADER_RE.match(body)):
        header_date, body, header_warning = parse_article_text(body)
    else:
        header_warning = None
    title = clean_field(as_text(fields.pick(meta, "title")[0]))
    if markdown:
        tokens = _markdown_tokens(body)
        text = markdown_to_text(body, tokens)
        title, text = _leading_heading(tokens, text, title)
    else:
        text = clean_body(body)
    if not text:
        return None, warnings, "no text after the front matter" if front is not None else "empty file"
    raw_date, _name = fields.pick(meta, "date")
    published, date_problem = parse_published(raw_date)
    if published is None:
        published = header_date
        if date_problem:
            warnings.append(f"{date_problem} in the front matter; date unknown")
        elif header_date is None:
            warnings.append(
                header_warning or "no date (front matter 'date:' or a 'date YYYY-MM-DD' line); date unknown"
            )
    draft = Draft(
        path=shown,
        text=text,
        published=published,
        title=title,
        url=clean_field(as_text(fields.pick(meta, "url")[0])),
        source=clean_field(as_text(fields.pick(meta, "source")[0])),
        author=clean_field(as_text(fields.pick(meta, "author")[0])),
        base_id=base_id,
        identity=shown,
    )
    return draft, warnings, None


def _front_matter_values(front: str, shown: str) -> tuple[dict[str, Any], str | None]:
    import yaml

    from pktui.fileio import UserFileError, load_user_yaml

    try:
        data = load_user_yaml(front, shown)
    except UserFileError as exc:
        return {}, f"front matter ignored: {exc}"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        return {}, f"front matter ignored: {problem}{where}"
    except RecursionError:
        return {}, "front matter ignored: nested too deeply"
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, "front matter ignored: not a mapping of keys"
    return {str(k): v for k, v in data.items()}, None


# -- Markdown -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


_BLOCK_OPEN = {"paragraph_open", "heading_open", "tr_open", "blockquote_open"}


def _markdown_tokens(source: str) -> list[Token] | None:
    try:
        return _markdown_parser().parse(source)
    except RecursionError:  # pathological nesting: read as written
        return None


def markdown_to_text(source: str, tokens: list[Token] | None = None) -> str:
    """Markdown as plain text: each block one paragraph; links, images (their alt text),
    emphasis and code marks gone; a table row's cells joined by " | "."""
    from pktui.corpus.html import html_to_text

    tokens = tokens if tokens is not None else _markdown_tokens(source)
    if tokens is None:
        return clean_body(source)
    paragraphs: list[str] = []
    row: list[str] | None = None
    for tok in tokens:
        if tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            if row:
                paragraphs.append(" | ".join(c for c in row if c))
            row = None
        elif tok.type == "inline":
            text = _inline_text(tok.children or [])
            if row is not None:
                row.append(text)
            elif text.strip():
                paragraphs.append(text.strip())
        elif tok.type in ("fence", "code_block"):
            if tok.content.strip():
                paragraphs.append(tok.content.strip("\n"))
        elif tok.type == "html_block":
            reduced = html_to_text(tok.content)
            if reduced:
                paragraphs.append(reduced)
    return clean_body("\n\n".join(paragraphs))


def _inline_text(children: list[Token]) -> str:
    out = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type == "image":
            out.append(_inline_text(child.children or []) or child.content)
    return "".join(out)


def _leading_heading(tokens: list[Token] | None, text: str, title: str | None) -> tuple[str | None, str]:
    """A Markdown note's first ``#`` heading: the title when the front matter gives none;
    it leaves the body when it is the title."""
    if tokens is None:
        return title, text
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h1":
            heading = clean_field(_inline_text(tokens[i + 1].children or []))
            if heading is None:
                return title, text
            if title is None or fold(title) == fold(heading):
                rest = text[len(heading) :].strip() if text.startswith(heading) else text
                return title or heading, rest
            return title, text
        if tok.type in ("paragraph_open", "fence", "code_block", "html_block", "table_open"):
            break
    return title, text
