"""Which form a file is in: by its extension, and by its content where the extension says
nothing (no extension, a ``.txt`` holding HTML or JSON Lines, an ``.xml`` that is a page)."""

from __future__ import annotations

import codecs
import json
import re

from pktui.corpus.plain import has_front_matter

#: extension -> form; "text" and None are decided by content
EXTENSION_FORMS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "page",
    ".htm": "page",
    ".xhtml": "page",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
}
#: bytes read to decide a form by content
SNIFF_BYTES = 64 * 1024

_PLAIN_HEADER_RE = re.compile(r"\A\s*date[ \t]+\d")
_XML_FEED_RE = re.compile(r"<(?:rss|feed|rdf:rdf|channel)\b", re.IGNORECASE)
_HTML_START_RE = re.compile(
    r"\A<(?:!doctype\s+html|html|head|body|meta|title|article|main|section|div|p|h[1-6]|table|ul|ol|!--)[\s>/]",
    re.IGNORECASE,
)


def form_of_name(name: str) -> str | None:
    """The form an extension names, "text" (content decides) or None (no extension that
    is an article form; a file with no extension at all gives "" )."""
    dot = name.rfind(".")
    if dot <= 0:
        return ""
    return EXTENSION_FORMS.get(name[dot:].lower())


def head_text(head: bytes) -> str:
    """The start of a file as text, for sniffing only (undecodable bytes replaced)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) // 2 * 2].decode("utf-16", "replace")
    return head.decode("utf-8", "replace").lstrip("\ufeff")


def sniff(head: str) -> str | None:
    """The form the content shows: "front", "plain", "page", "feed", "json" or None."""
    text = head.lstrip(" \t\r\n")
    if has_front_matter(text):
        return "front"
    if _PLAIN_HEADER_RE.match(text):
        return "plain"
    if text.startswith("<"):
        if text[:5].lower() == "<?xml" or _XML_FEED_RE.match(text):
            return "feed" if _XML_FEED_RE.search(text) else ("page" if "<html" in text.lower() else "feed")
        if _HTML_START_RE.match(text):
            return "page"
        return None
    if _looks_like_json(text):
        return "json"
    return None


def _looks_like_json(text: str) -> bool:
    """An array of objects, or an object whose first line is whole or only ``{``."""
    if text[:1] == "[":
        return text[1:].lstrip(" \t\r\n")[:1] in ("{", "]")
    if text[:1] != "{":
        return False
    first, newline, _rest = text.partition("\n")
    if not newline or first.strip() == "{":
        return True
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        return False


def resolve_form(ext_form: str | None, head: bytes, named: bool) -> str | None:
    """The reader to use: "plain", "front", "markdown", "page", "feed", "jsonl", "json",
    "csv", "tsv"; None when the file is in no article form."""
    if ext_form in ("markdown", "jsonl", "json", "csv", "tsv", "page"):
        return ext_form
    shown = sniff(head_text(head))
    if ext_form == "feed":
        return "page" if shown == "page" else "feed"
    if ext_form == "text":
        return {"front": "front", "page": "page", "feed": "feed", "json": "json"}.get(shown or "", "plain")
    # no extension: the content must show a form (a README or a licence is not an article),
    # unless the user named the file itself
    if shown is None:
        return "plain" if named else None
    return shown
