"""Ordinals that imply a count: "its first engineering unit", "the third rotation"."""

from __future__ import annotations

from pktui.domain import load_domain
from pktui.extract.counted import counted_after
from pktui.extract.numbers import QuantityMention, numbers
from pktui.extract.quantities import blocked_mask
from pktui.extract.tokens import Token

ORDINAL_MEASURES = ("unit", "hospital")


def find_ordinals(text: str, tokens: list[Token], blocked: list[tuple[int, int]]) -> list[QuantityMention]:
    """ "its first engineering unit", "the third rotation": the count a rank in a series implies.

    Kept apart from quantities (kind ``ordinal``): the article does not state a count, but
    the Figures view may derive one from it.
    """
    nums = numbers()
    ordinal_values = {k: int(v) for k, v in (load_domain().numbers.get("ordinals") or {}).items()}
    blocked_at = blocked_mask(tokens, blocked)
    out: list[QuantityMention] = []
    for i, tok in enumerate(tokens):
        value = ordinal_values.get(tok.text.lower())
        if value is None or blocked_at[i] or i == 0:
            continue
        if tokens[i - 1].text.lower() not in ("its", "their", "the", "his", "her", "our") and not tokens[
            i - 1
        ].text.endswith(("’s", "'s")):
            continue
        after = counted_after(text, tokens, i + 1, nums, blocked_at)
        if after is None:
            continue
        unit, counted, end, last = after
        if unit in ORDINAL_MEASURES and last - i <= 3:
            why = f"ordinal after “{tokens[i - 1].text}” + counted noun: {counted} → {unit}"
            out.append(QuantityMention(tok.start, end, value, "exact", unit, counted, why))
    return out
