"""A folder mixing every input form of the contract, written at test time.

All text is invented for these tests. ``build_mixed_corpus(root)`` writes the files and
returns what each article should become (``EXPECTED``), the broken records the reader must
name (``BROKEN``) and the counts (duplicates, hidden files).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Expected:
    path: str  # relative to the root, with the record's place
    title: str
    published: str | None
    url: str | None
    source: str | None
    author: str | None
    fact: str  # a quantity's text extraction must find, with its span
    value: int
    paragraphs: int  # at least this many


PLAIN = (
    "date 2024-11-04 HÀ NỘI — Việt Nam will send 63 medical staff to South Sudan next month, "
    "the Ministry of National Defence said on Monday.\n\n"
    "The team will relieve the fifth rotation at the hospital in Bentiu."
)
# the same article again: other white space, another file name
PLAIN_COPY = PLAIN.replace("63 medical staff", "63  medical\nstaff").replace("\n\n", "\n \n\n") + "\n"

NOTE = """---
title: Engineers head for Abyei
date: 2024-10-21
url: https://notes.example.net/engineers-abyei
source: Field Notes
author: Trần Thị Mai
---
# Engineers head for Abyei

The engineering unit of **184 officers and soldiers** left for [Abyei](https://example.net/abyei) on Sunday.

- Heavy machinery went ahead by sea.
- The unit serves for *one year*.
"""

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Peacekeepers return home after a year in Bentiu | The Hanoi Ledger</title>
<meta property="og:title" content="Peacekeepers return home after a year in Bentiu">
<meta property="og:site_name" content="The Hanoi Ledger">
<meta property="article:published_time" content="2024-11-05T23:30:00-05:00">
<link rel="canonical" href="https://ledger.example.com/world/peacekeepers-return">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Peacekeepers return home after a year in Bentiu",
 "datePublished": "2024-11-05T23:30:00-05:00", "author": {"@type": "Person", "name": "Lê Văn Nam"},
 "publisher": {"@type": "Organization", "name": "The Hanoi Ledger"}}
</script>
<style>.banner { color: red; }</style>
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. Accept all cookies or manage preferences.</div>
<header><nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>Peacekeepers return home after a year in Bentiu</h1>
<p class="byline">By Lê Văn Nam</p>
<p>More than 500 officers and soldiers have served with UNMISS since 2014, a defence official told reporters at the airport on Tuesday evening.</p>
<p>The returning team spent twelve months running the field hospital, treating soldiers and civilians from the surrounding camps.</p>
<p>Families waited behind the barrier with flowers while the aircraft taxied to the terminal.</p>
<div class="share-bar social-share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email this story</a></div>
</article>
<aside class="related-stories"><h2>Related stories</h2><ul>
<li><a href="/world/a">Hospital team prepares for rotation</a></li>
<li><a href="/world/b">Engineers finish airstrip repairs</a></li></ul></aside>
</main>
<footer class="site-footer"><p>Copyright 2024 The Hanoi Ledger. All rights reserved.</p>
<p><a href="/about">About us</a> | <a href="/contact">Contact</a></p></footer>
<script>window.tracker = function () { document.title = "Tracking script text"; };</script>
</body></html>
"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Ministry of Defence News</title>
<link>https://mod.example.gov/news</link>
<description>Press releases</description>
<item>
<title>Women peacekeepers to deploy next month</title>
<link>https://mod.example.gov/news/women-peacekeepers</link>
<guid>https://mod.example.gov/news/women-peacekeepers</guid>
<pubDate>Tue, 05 Nov 2024 23:30:00 -0500</pubDate>
<dc:creator>Press Office</dc:creator>
<description>Teaser: a new team is ready.</description>
<content:encoded><![CDATA[<p>Nearly 90 women peacekeepers will deploy next month, the ministry said in a statement.</p>
<p>They trained for six months at the peacekeeping centre in Hà Nội.</p><script>alert("x")</script>]]></content:encoded>
</item>
<item>
<title>Staff officers complete course</title>
<link>https://mod.example.gov/news/staff-officers</link>
<pubDate>2024-11-06T08:00:00+07:00</pubDate>
<description>Twelve weeks of training ended for 12 staff officers at the centre this week.</description>
</item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Blue Helmet Digest</title>
<id>urn:example:digest</id>
<updated>2024-10-01T02:00:00Z</updated>
<entry>
<title>Field hospital reports a busy month</title>
<id>urn:example:digest:1</id>
<link href="https://digest.example.org/2024/09/field-hospital"/>
<published>2024-09-30T22:00:00-04:00</published>
<updated>2024-10-01T08:00:00-04:00</updated>
<author><name>Nguyễn Hải</name></author>
<summary>Short summary only.</summary>
<content type="html">&lt;p&gt;The field hospital treated 1,250 patients in September.&lt;/p&gt;&lt;p&gt;Most were civilians from nearby villages.&lt;/p&gt;</content>
</entry>
</feed>
"""

JSONL_LINES = [
    json.dumps(
        {
            "title": "Engineers reach Bangui",
            "maintext": "Việt Nam has sent 42 engineers to the Central African Republic.\n\nThey will repair roads near the capital next month.",
            "date_publish": "2024-08-12 09:15:00",
            "url": "https://daily.example.org/a/8841",
            "source_domain": "daily.example.org",
            "authors": ["Phạm Minh", "Hoàng Lan"],
        },
        ensure_ascii=False,
    ),
    '{"title": "Broken record", "maintext": "This line is cut',
    json.dumps({"title": "Only a title", "url": "https://daily.example.org/a/8842"}),
    # the page again, by its canonical URL written another way
    json.dumps(
        {
            "title": "Peacekeepers back",
            "maintext": "A shorter version of the airport story.",
            "url": "http://LEDGER.example.com/world/peacekeepers-return/",
        }
    ),
    json.dumps(
        {
            "title": "Observers join the mission",
            "maintext": "<div class='share'><a href='#'>Share</a></div><p>The mission welcomed 75 military observers "
            "from six countries this autumn.</p><p>Each observer speaks at least two languages.</p>",
            "date_publish": "2024-10-02T07:00:00+07:00",
            "url": "https://daily.example.org/a/8843",
            "source_domain": "daily.example.org",
        }
    ),
    "",
]

CSV = (
    "Title,Date,Text,URL,Outlet,Byline\n"
    'Troops rotate in Abyei,5 November 2024,"The mission counted 230 troops at the end of the rotation.\n'
    "\n"
    'A new commander arrived the same week.",https://archive.example.net/1,Press Archive,Đỗ An\n'
    "Row with a missing column,2024-10-01,Some text,https://archive.example.net/2\n"
    'Police unit arrives,2024-10-01,"A formed police unit of 140 officers arrived in Juba.",https://archive.example.net/3,Press Archive,\n'
)

JSON_ARRAY = [
    {
        "headline": "Signals company trains in Hà Nội",
        "body": "A signals company of 35 specialists finished its training.",
        "pubDate": "Mon, 04 Nov 2024 10:00:00 +0700",
        "link": "https://array.example.com/signals",
        "outlet": "Array Times",
        "byline": "Vũ Hà",
    },
    {"headline": "No body here", "body": ""},
]

TXT_JSONL = json.dumps(
    {
        "title": "Logistics team ready",
        "text": "A logistics team of 28 members is ready to leave.",
        "published": "2024-07-01",
        "url": "https://mixed.example.com/logistics",
    }
)

BARE_PAGE = """<html><head><title>Airstrip repaired</title>
<meta property="article:published_time" content="2024-06-15T10:00:00+07:00"></head>
<body><article><h1>Airstrip repaired</h1>
<p>Engineers repaired the airstrip used by 17 aircraft a week, the mission said in its monthly bulletin.</p>
<p>The work took three weeks in the rainy season.</p></article></body></html>
"""

EXPECTED = [
    Expected(
        "plain.txt",
        # no title given: the lead sentence (as lists show it)
        "Việt Nam will send 63 medical staff to South Sudan next month, the Ministry of National Defence said on Monday.",
        "2024-11-04", None, None, None, "63 medical staff", 63, 2,
    ),
    Expected(
        "note.md", "Engineers head for Abyei", "2024-10-21", "https://notes.example.net/engineers-abyei",
        "Field Notes", "Trần Thị Mai", "184 officers and soldiers", 184, 3,
    ),
    Expected(
        "page.html", "Peacekeepers return home after a year in Bentiu", "2024-11-05",
        "https://ledger.example.com/world/peacekeepers-return", "The Hanoi Ledger", "Lê Văn Nam",
        "More than 500 officers and soldiers", 500, 3,
    ),
    Expected(
        "ministry.xml#1", "Women peacekeepers to deploy next month", "2024-11-05",
        "https://mod.example.gov/news/women-peacekeepers", "Ministry of Defence News", "Press Office",
        "Nearly 90 women peacekeepers", 90, 2,
    ),
    Expected(
        "ministry.xml#2", "Staff officers complete course", "2024-11-06", "https://mod.example.gov/news/staff-officers",
        "Ministry of Defence News", None, "12 staff officers", 12, 1,
    ),
    Expected(
        "digest.atom#1", "Field hospital reports a busy month", "2024-09-30",
        "https://digest.example.org/2024/09/field-hospital", "Blue Helmet Digest", "Nguyễn Hải",
        "1,250 patients", 1250, 2,
    ),
    Expected(
        "scraper.jsonl:1", "Engineers reach Bangui", "2024-08-12", "https://daily.example.org/a/8841",
        "daily.example.org", "Phạm Minh, Hoàng Lan", "42 engineers", 42, 2,
    ),
    Expected(
        "scraper.jsonl:5", "Observers join the mission", "2024-10-02", "https://daily.example.org/a/8843",
        "daily.example.org", None, "75 military observers", 75, 2,
    ),
    Expected(
        "archive.csv:2", "Troops rotate in Abyei", "2024-11-05", "https://archive.example.net/1", "Press Archive",
        "Đỗ An", "230 troops", 230, 2,
    ),
    Expected(
        "archive.csv:6", "Police unit arrives", "2024-10-01", "https://archive.example.net/3", "Press Archive",
        None, "140 officers", 140, 1,
    ),
    Expected(
        "records.json#1", "Signals company trains in Hà Nội", "2024-11-04", "https://array.example.com/signals",
        "Array Times", "Vũ Hà", "35 specialists", 35, 1,
    ),
    Expected(
        "mislabelled.txt:1", "Logistics team ready", "2024-07-01", "https://mixed.example.com/logistics", None, None,
        "28 members", 28, 1,
    ),
    Expected("saved-page", "Airstrip repaired", "2024-06-15", None, None, None, "17 aircraft", 17, 2),
]  # fmt: skip

#: (path with place, a word of the reason)
BROKEN = [
    ("scraper.jsonl:2", "broken JSON"),
    ("scraper.jsonl:3", "no text"),
    ("archive.csv:5", "4 columns, the header has 6"),
    ("records.json#2", "no text"),
]
DUPLICATES = {"copies/plain-copy.txt": "plain.txt", "scraper.jsonl:4": "page.html"}
HIDDEN = 1
#: words of menus, banners, share bars, related links, footers and scripts
BOILERPLATE = ("cookies", "Share on", "Related stories", "Copyright", "Tracking script", "Politics", "alert(", "Teaser")


def build_mixed_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "plain.txt").write_text(PLAIN, encoding="utf-8")
    (root / "copies").mkdir()
    (root / "copies" / "plain-copy.txt").write_text(PLAIN_COPY, encoding="utf-8")
    (root / "note.md").write_text(NOTE, encoding="utf-8")
    (root / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "ministry.xml").write_text(RSS, encoding="utf-8")
    (root / "digest.atom").write_text(ATOM, encoding="utf-8")
    (root / "scraper.jsonl").write_text("\n".join(JSONL_LINES) + "\n", encoding="utf-8")
    (root / "archive.csv").write_text(CSV, encoding="utf-8")
    (root / "records.json").write_text(json.dumps(JSON_ARRAY, ensure_ascii=False, indent=2), encoding="utf-8")
    (root / "mislabelled.txt").write_text(TXT_JSONL + "\n", encoding="utf-8")
    (root / "saved-page").write_text(BARE_PAGE, encoding="utf-8")
    (root / ".hidden-draft.txt").write_text("date 2024-01-01 A hidden draft, never read.", encoding="utf-8")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    return root
