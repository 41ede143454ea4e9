"""Stage 1, candidates: the token runs that may be names.

Numbered units ("10 SA Infantry Battalion"), ranks and titles (kept apart: a rank is not part
of a name), then capitalised runs with their connectors ("Ministry of National Defence"), known
names from the gazetteer kept whole, trimmed of sentence starters and function words.
"""

from __future__ import annotations

from pktui.extract.entities.state import ACRONYM_RE, ArticleState, Found, head_type, is_namey
from pktui.extract.gazetteer import GazMatch
from pktui.text import fold

#: no name is longer than this many tokens: a longer capitalised run is cut (and every later
#: stage works on runs of bounded length)
MAX_RUN = 24


def numbered_units(art: ArticleState) -> None:
    toks = art.tokens
    lex = art.lex
    n = len(toks)
    defined: dict[str, tuple[str, str]] = {}  # acronym -> (expansion, head)
    for i, tok in enumerate(toks):
        if not (tok.is_number and tok.text.isdigit() and len(tok.text) <= 3) or art.taken[i]:
            continue
        prev = art.prev_word(i)
        if prev is not None and prev.is_word and prev.is_cap and i - 1 not in art.sentence_starts:
            continue  # "Rotation 6", handled as a designation
        j = i + 1
        words = []
        while j < n and toks[j].is_word and toks[j].is_cap and len(words) < 4:
            if fold(toks[j].text) in lex.unit_heads:
                break
            words.append(toks[j])
            j += 1
        if not words:
            continue
        acr = None
        if j + 2 < n and toks[j].text == "(" and ACRONYM_RE.match(toks[j + 1].text) and toks[j + 2].text == ")":
            acr = toks[j + 1].text
            j += 3
        if j < n and toks[j].is_word and fold(toks[j].text) in lex.unit_heads and toks[j].is_cap:
            head = toks[j].text
            name = f"{tok.text} {' '.join(w.text for w in words)} {head}"
            f = Found(tok.start, toks[j].end, "unit", name, why=f"number + name + head word: {head}")
            if acr:
                f.aliases.add(f"{tok.text} {acr}")
                defined[acr] = (" ".join(w.text for w in words), head)
            art.add(f, i, j)
    if not defined:
        return
    for i, tok in enumerate(toks):
        if art.taken[i] or not (tok.is_number and tok.text.isdigit()) or i + 1 >= n:
            continue
        nxt = toks[i + 1]
        if nxt.bare in defined and not art.taken[i + 1]:
            expansion, head = defined[nxt.bare]
            why = f"number + acronym defined for {expansion} {head}"
            f = Found(tok.start, nxt.start + len(nxt.bare), "unit", f"{tok.text} {expansion} {head}", why=why)
            f.aliases.add(f"{tok.text} {nxt.bare}")
            art.add(f, i, i + 1)


def mark_ranks_and_titles(art: ArticleState, gaz_matches: list[GazMatch]) -> None:
    toks = art.tokens
    in_gaz = [False] * len(toks)
    for m in gaz_matches:
        for k in range(m.first, m.last + 1):
            in_gaz[k] = True
    i = 0
    while i < len(toks):
        tok = toks[i]
        if art.taken[i] or in_gaz[i] or not tok.is_word:
            i += 1
            continue
        rank = art.lex.ranks.match(toks, i)
        if rank is not None and tok.is_cap:
            last, name = rank
            nxt = toks[last + 1] if last + 1 < len(toks) else None
            if nxt is not None and nxt.is_word and nxt.is_cap:
                art.rank_before[last + 1] = (i, name)
                art.ranks.append((tok.start, toks[last].end, name))
                for k in range(i, last + 1):
                    art.taken[k] = True
                i = last + 1
                continue
        title = art.lex.titles.match(toks, i, skip_periods=False)
        if title is not None:
            last, _ = title
            art.title_spans.append((tok.start, toks[last].end))
            for k in range(i, last + 1):
                art.taken[k] = True
            i = last + 1
            continue
        i += 1


def find_runs(art: ArticleState, gaz_at: dict[int, GazMatch]) -> list[list[int]]:
    """Token indices of each capitalised run (or known name) not yet taken, in text order."""
    runs: list[list[int]] = []
    toks = art.tokens
    n = len(toks)
    i = 0
    while i < n:
        if art.taken[i]:
            i += 1
            continue
        tok = toks[i]
        starts_gaz = i in gaz_at
        if not (starts_gaz or is_namey(tok)):
            i += 1
            continue
        seq, i = _collect(art, i, gaz_at)
        if seq:
            runs.append(seq)
    return runs


def _collect(art: ArticleState, i: int, gaz_at: dict[int, GazMatch]) -> tuple[list[int], int]:
    """Token indices of one capitalised run starting at i (connectors included)."""
    toks = art.tokens
    n = len(toks)
    lex = art.lex
    seq: list[int] = []
    j = i
    while j < n and not art.taken[j] and len(seq) < MAX_RUN:
        tok = toks[j]
        if j in gaz_at:
            m = gaz_at[j]
            if any(art.taken[m.first : m.last + 1]):
                break
            seq.extend(range(m.first, m.last + 1))
            j = m.last + 1
            if toks[m.last].bare != toks[m.last].text:
                break
            continue
        if is_namey(tok):
            if seq and j in art.sentence_starts:
                break
            seq.append(j)
            j += 1
            if tok.bare != tok.text:  # possessive ends a name
                break
            continue
        if tok.is_word and tok.text in lex.connectors and seq:
            # take connectors only when a name word follows ("Ministry of National Defence")
            k = j
            while k < n and toks[k].is_word and toks[k].text in lex.connectors and k - j < 2:
                k += 1
            if toks[j].text in ("in", "at") and k in gaz_at and gaz_at[k].entry.type in ("country", "location"):
                break  # "... Meeting in the Republic of Korea": the place is not part of the name
            if k in gaz_at and seq[0] in gaz_at and gaz_at[seq[0]].last == seq[-1]:
                break  # two known names joined by a connector stay two names
            calendar = k < n and fold(toks[k].text) in lex.calendar
            if (
                k < n
                and not art.taken[k]
                and not calendar
                and (k in gaz_at or is_namey(toks[k]))
                and k not in art.sentence_starts
            ):
                seq.extend(range(j, k))
                j = k
                continue
            break
        if tok.text == "&" and seq and j + 1 < n and is_namey(toks[j + 1]):
            seq.append(j)
            j += 1
            continue
        break
    return seq, max(j, i + 1)


def trim(art: ArticleState, seq: list[int], gaz_at: dict[int, GazMatch]) -> list[int]:
    toks = art.tokens
    lex = art.lex
    seq = list(seq)
    while seq:
        k = seq[0]
        key = fold(toks[k].text)
        if k in gaz_at:
            break
        if toks[k].is_word and toks[k].text in lex.connectors:
            seq.pop(0)
            continue
        if key in lex.function_words:
            if toks[k].text == "The" and k not in art.sentence_starts and len(seq) > 1 and is_namey(toks[seq[1]]):
                break  # "told The New Times": a capital The inside a sentence belongs to the name
            seq.pop(0)
            continue
        if k in art.sentence_starts and key in lex.common:
            # "International Conference on ..." keeps its adjective; "Members of X" is no name
            nxt = toks[seq[1]] if len(seq) > 1 else None
            if nxt is None or nxt.text in lex.connectors or head_type(art, seq[1:])[0] is None:
                seq.pop(0)
                continue
        break
    while seq:
        k = seq[-1]
        if (toks[k].is_word and toks[k].text in lex.connectors) or toks[k].text == "&":
            seq.pop()
            continue
        break
    return seq
