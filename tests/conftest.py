"""Shared fixtures: the bundled sample corpus as a knowledge base, temporary corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

LACROIX_2022 = "2022-11-27-lacroix-visits-vietnam-peacekeeping-department"
CHIEN_2025 = "2025-06-14-deputy-defence-minister-receives-lacroix"


@pytest.fixture(autouse=True, scope="session")
def _isolated_dirs(tmp_path_factory):
    """Never touch the user's cache or config."""
    base = tmp_path_factory.mktemp("xdg")
    old = {k: os.environ.get(k) for k in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")}
    os.environ["XDG_CACHE_HOME"] = str(base / "cache")
    os.environ["XDG_CONFIG_HOME"] = str(base / "config")
    os.environ["XDG_DATA_HOME"] = str(base / "data")
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    """A cache folder of this test's own (``XDG_CACHE_HOME``), empty at the start."""
    home = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def sample_kb():
    from pktui.knowledge.loader import load_knowledge

    return load_knowledge(None, use_cache=False)


def write_article(folder: Path, name: str, body: str, date: str | None = "2024-03-05") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    header = f"date {date} " if date else ""
    path.write_text(header + body, encoding="utf-8")
    return path
