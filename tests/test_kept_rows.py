"""The dict and set a kept corrections overlay reads a key at a time: what they answer, what
they read, and the changes they note for writing back."""

from __future__ import annotations

import pytest

from pktui.knowledge.store import kept_rows
from pktui.knowledge.store.kept_rows import KeptDict, KeptSet

ROWS = {f"k{i}": i for i in range(10)}


class Counted:
    """A table of ROWS, counting the single lookups and the whole reads."""

    def __init__(self) -> None:
        self.one = self.every = 0

    def get(self, key: str) -> int | None:
        self.one += 1
        return ROWS.get(key)

    def all(self):
        self.every += 1
        return iter(ROWS.items())


def test_a_kept_dict_reads_one_key_at_a_time_and_whole_only_when_walked():
    t = Counted()
    d = KeptDict(t.get, t.all, len(ROWS))
    assert d["k3"] == 3 and d.get("k4") == 4 and "k5" in d and "nope" not in d and d.get("nope", -1) == -1
    assert len(d) == 10 and t.every == 0
    assert d["k3"] == 3 and t.one == 4  # (asked once)
    with pytest.raises(KeyError):
        d["nope"]
    assert dict(d) == ROWS and sorted(d) == sorted(ROWS) and t.every == 1
    assert {**d} == ROWS and d == ROWS and t.every == 1


def test_a_kept_dict_walked_item_by_item_reads_the_table_whole(monkeypatch):
    monkeypatch.setattr(kept_rows, "WHOLE_AFTER", 3)
    t = Counted()
    d = KeptDict(t.get, t.all, len(ROWS))
    assert [d[f"k{i}"] for i in range(10)] == list(range(10))
    assert t.one == 3 and t.every == 1


def test_a_kept_dict_notes_its_changes_and_keeps_them_over_the_rows_read_later():
    t = Counted()
    d = KeptDict(t.get, t.all, len(ROWS))
    item = d["k1"]
    d["k1"] = 100
    d["new"] = 7
    assert d.pop("k2") == 2 and d.pop("gone", None) is None
    assert len(d) == 10  # one added, one removed
    assert "k2" not in d and d.get("k2") is None
    assert d.changed == {"k1", "new", "k2", "gone"}
    assert dict(d) == {**{k: v for k, v in ROWS.items() if k != "k2"}, "k1": 100, "new": 7}
    assert item == 1


def test_an_item_read_once_is_the_same_object_after_the_table_is_read_whole():
    obj = {"k": object()}
    d = KeptDict(obj.get, lambda: iter({"k": object()}.items()), 1)
    first = d["k"]
    assert list(d.values()) == [first]


def test_a_kept_set_asks_one_member_at_a_time_and_adds_members():
    asked: list[str] = []

    def has(x: str) -> bool:
        asked.append(x)
        return x in {"a", "b"}

    s = KeptSet(has, lambda: iter(["a", "b"]), lambda: 2)
    assert "a" in s and "z" not in s and asked == ["a", "z"] and len(s) == 2
    s.add("c")
    s.add("a")
    assert len(s) == 3 and s.added == {"c"} and "c" in s
    assert set(s) == {"a", "b", "c"} and s | {"d"} == {"a", "b", "c", "d"} and s - {"a"} == {"b", "c"}
