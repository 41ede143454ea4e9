"""Domain knowledge loaded from the YAML files beside this module.

Gazetteers (countries, missions, organisations, places, programmes), ranks, titles, names,
number words, measures and the lexicon the extractor uses. Code never hard-codes these.
YAML is read with the safe loader only; a malformed file raises :class:`DomainError`
naming the file and line.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is also safe (no arbitrary objects) and ten times faster
    _SafeLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _SafeLoader = yaml.SafeLoader

# Earlier files win when two list the same form.
GAZETTEER_FILES = {
    "units.yaml": ("units", "unit"),
    "missions.yaml": ("missions", "mission"),
    "events.yaml": ("events", "event"),
    "programmes.yaml": ("programmes", "programme"),
    "countries.yaml": ("countries", "country"),
    "locations.yaml": ("locations", "location"),
    "organizations.yaml": ("organizations", "organization"),
}
USER_GAZETTEER_ENV = "PKTUI_GAZETTEER"


class DomainError(ValueError):
    """A domain data file could not be read; the message names the file and line."""


@dataclass(slots=True)
class GazEntry:
    """One known thing: its canonical name, type and every way it is written."""

    name: str
    type: str
    forms: list[str]  # surface forms matched case-insensitively (folded)
    acronyms: list[str]  # matched case-sensitively (all-caps forms like "CAR")
    meta: dict[str, Any] = field(default_factory=dict)
    #: the list it comes from ("missions", or "gazetteer.yaml: missions" for a user's file)
    source: str = ""
    #: from a big library list (towns, subdivisions): a mention only where the text supports it
    weak: bool = False


@dataclass
class Domain:
    entries: list[GazEntry] = field(default_factory=list)
    demonyms: dict[str, str] = field(default_factory=dict)  # folded demonym -> country name
    ranks: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, forms)
    civil_ranks: set[str] = field(default_factory=set)  # honorifics: Mr, Ms, Dr (not a rank)
    titles: list[str] = field(default_factory=list)
    surnames_vi: set[str] = field(default_factory=set)  # folded
    middle_vi: set[str] = field(default_factory=set)
    given_names: set[str] = field(default_factory=set)  # folded
    particles: set[str] = field(default_factory=set)
    honorifics: set[str] = field(default_factory=set)
    numbers: dict[str, Any] = field(default_factory=dict)
    measures: dict[str, dict[str, Any]] = field(default_factory=dict)
    measures_doc: dict[str, Any] = field(default_factory=dict)  # the whole measures.yaml
    durations: list[str] = field(default_factory=list)
    lexicon: dict[str, Any] = field(default_factory=dict)
    units_doc: dict[str, Any] = field(default_factory=dict)  # units.yaml beyond its list
    abbreviations: set[str] = field(default_factory=set)
    months: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    fingerprint: str = ""
    #: towns, cities, subdivisions, former countries from libraries, by folded name (weak entries)
    weak_places: dict[str, GazEntry] = field(default_factory=dict)


def domain_dir() -> Path:
    return Path(str(resources.files("pktui") / "domain"))


def read_yaml(path: Path) -> Any:
    """Safe-load one bundled YAML file (trusted); errors name the file and line."""
    from pktui.fileio import UserFileError, read_user_text

    try:
        text = read_user_text(path)
    except UserFileError as exc:
        raise DomainError(str(exc)) from None
    try:
        return yaml.load(text, Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        from pktui.fileio import yaml_error_line

        raise DomainError(yaml_error_line(exc, str(path))) from None


@dataclass
class UserYaml:
    """A user's YAML file: its values, its bytes (for the fingerprint) and, for error
    lines, its node tree."""

    data: Any
    raw: bytes
    root: Any

    def line(self, *keys: str | int) -> str:
        from pktui.fileio import node_line

        n = node_line(self.root, *keys)
        return f":{n}" if n else ""


def read_user_yaml(path: Path) -> UserYaml:
    """A user's gazetteer: a regular file only, size-bounded, YAML with alias expansion
    bounded (a "billion laughs" file is refused); errors name the file and line."""
    from pktui.fileio import UserFileError, compose_user_yaml, construct_yaml, read_regular, yaml_error_line

    try:
        raw = read_regular(path)
        text = raw.decode("utf-8-sig")
    except UserFileError as exc:
        raise DomainError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise DomainError(f"{path}: cannot read: not UTF-8 (invalid byte at offset {exc.start})") from None
    try:
        root = compose_user_yaml(text, str(path))
        return UserYaml(construct_yaml(root), raw, root)
    except UserFileError as exc:
        raise DomainError(str(exc)) from None
    except yaml.YAMLError as exc:
        raise DomainError(yaml_error_line(exc, str(path))) from None
    except RecursionError:
        raise DomainError(f"{path}: malformed YAML: nested too deeply") from None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple | set | dict):
        return [str(value)]
    return [str(v) for v in value if v is not None]


def _gazetteer_entries(
    data: Any, key: str, etype: str, source: Path, doc: UserYaml | None = None, origin: str = ""
) -> list[GazEntry]:
    """The entries of one list; ``origin`` names the list in each entry's ``source``."""
    origin = origin or key
    if data is None:
        return []
    items = data.get(key, []) if isinstance(data, dict) else data
    line = doc.line if doc is not None else (lambda *keys: "")
    if not isinstance(items, list):
        raise DomainError(f"{source}{line(key)}: expected a list under '{key}'")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not (item.get("name") or item.get("acronym")):
            raise DomainError(f"{source}{line(key, i)}: entry {i + 1} of '{key}' has no name")
        name = str(item.get("name") or item.get("acronym"))
        acronyms = _as_list(item.get("acronyms")) + _as_list(item.get("acronym"))
        forms = [name, *_as_list(item.get("aliases"))]
        # all-caps aliases are acronyms: matched with their case
        caps = [f for f in forms[1:] if _is_acronym_form(f)]
        forms = [f for f in forms if f not in caps or f == name]
        acronyms += caps
        meta = {k: v for k, v in item.items() if k not in ("name", "aliases", "acronyms", "acronym")}
        if etype == "mission" and item.get("acronym"):
            # missions are known by their acronym first
            meta["full_name"] = name
            name = str(item["acronym"])
        out.append(GazEntry(name, etype, _dedupe(forms), _dedupe(acronyms), meta, origin))
    return out


def _is_acronym_form(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return bool(letters) and len(form) <= 10 and " " not in form and all(c.isupper() for c in letters)


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _load_files(directory: Path, extra: list[Path]) -> Domain:
    from pktui.text import fold

    dom = Domain()
    digest = hashlib.sha1()

    def load(name: str) -> Any:
        path = directory / name
        if not path.exists():
            return None
        digest.update(path.read_bytes())
        return read_yaml(path)

    for fname, (key, etype) in GAZETTEER_FILES.items():
        data = load(fname)
        if fname == "units.yaml" and isinstance(data, dict):
            dom.units_doc = data
        dom.entries.extend(_gazetteer_entries(data, key, etype, directory / fname))
        if etype == "country" and isinstance(data, dict):
            for item in data.get(key, []) or []:
                for d in _as_list(item.get("demonyms")):
                    dom.demonyms[fold(d)] = str(item["name"])
    for path in extra:
        doc = read_user_yaml(path)  # a missing, unreadable or hostile file is a DomainError naming it
        digest.update(doc.raw)
        data = doc.data
        if not isinstance(data, dict):
            raise DomainError(f"{path}{doc.line()}: expected a mapping of gazetteer lists")
        for key, (_fname, etype) in ((v[0], (k, v[1])) for k, v in GAZETTEER_FILES.items()):
            if key in data:
                dom.entries.extend(_gazetteer_entries(data, key, etype, path, doc, f"{path.name}: {key}"))

    ranks = load("ranks.yaml") or {}
    for item in ranks.get("ranks", []) or []:
        forms = _dedupe([str(item["name"]), *_as_list(item.get("abbreviations")), *_as_list(item.get("aliases"))])
        dom.ranks.append((str(item["name"]), forms))
        if item.get("kind") == "civil":
            dom.civil_ranks.add(str(item["name"]))
    titles = load("titles.yaml") or {}
    for item in titles.get("titles", []) or []:
        dom.titles.extend(_dedupe([str(item["title"]), *_as_list(item.get("aliases"))]))
    names = load("names.yaml") or {}
    dom.surnames_vi = {fold(n) for n in _as_list(names.get("vietnamese_surnames"))}
    dom.middle_vi = {fold(n) for n in _as_list(names.get("vietnamese_middle_names"))}
    dom.given_names = {fold(n) for n in _as_list(names.get("given_names"))}
    dom.particles = {n.lower() for n in _as_list(names.get("name_particles"))}
    dom.honorifics = {n.rstrip(".").lower() for n in _as_list(names.get("honorific_prefixes"))}

    dom.numbers = load("numbers.yaml") or {}
    measures = load("measures.yaml") or {}
    dom.measures_doc = measures
    dom.measures = measures.get("measures", {}) or {}
    dom.durations = _as_list(measures.get("durations"))
    dom.lexicon = load("lexicon.yaml") or {}
    dom.months = {k.lower(): int(v) for k, v in (dom.lexicon.get("months") or {}).items()}
    dom.weekdays = {k.lower(): int(v) for k, v in (dom.lexicon.get("weekdays") or {}).items()}
    abbrevs = {a.lower().rstrip(".") for a in _as_list(dom.lexicon.get("abbreviations"))}
    for _name, forms in dom.ranks:
        for form in forms:
            for part in form.split():
                if part.endswith("."):
                    abbrevs.add(part.rstrip(".").lower())
    dom.abbreviations = abbrevs
    for d in _as_list(dom.lexicon.get("extra_demonyms")):
        dom.demonyms.setdefault(fold(d), "")
    _add_host_short_names(dom)
    _add_library_places(dom, digest)
    dom.fingerprint = digest.hexdigest()
    return dom


def _add_host_short_names(dom: Domain) -> None:
    """A mission named for its host country is also written with the host's short name:
    "… Stabilization Mission in the Central African Republic" as "… Mission in the CAR"."""
    countries = {e.name: e for e in dom.entries if e.type == "country"}
    for entry in dom.entries:
        if entry.type != "mission":
            continue
        extra: list[str] = []
        for host in _as_list(entry.meta.get("host")):
            country = countries.get(str(host))
            if country is None:
                continue
            shorts = [a for a in country.acronyms if a.isalpha()]
            for form in entry.forms:
                for long_name in (country.name, *country.forms):
                    if form.endswith(" in the " + long_name) or form.endswith(" in " + long_name):
                        base = form[: -len(long_name)]
                        extra.extend(base + s for s in shorts)
        if extra:
            entry.forms = _dedupe(entry.forms + extra)


def _add_library_places(dom: Domain, digest: Any) -> None:
    """Towns, cities, subdivisions and former countries from libraries, as weak entries; a name
    the bundled lists already know, or that is also a word the lexicon knows ("Union",
    "Mission", "Of"), is left out."""
    from pktui.domain.libraries import library_places, library_versions
    from pktui.text import fold

    digest.update(library_versions().encode())
    known = {fold(form) for e in dom.entries for form in e.forms}
    lex = dom.lexicon
    words: set[str] = set()
    for key in ("common_capitalised", "function_words", "connectors", "not_names", "person_cues_before",
                "person_cues_after", "location_cues_before", "location_suffixes", "extra_demonyms",
                "not_places"):  # fmt: skip
        words.update(fold(str(w)) for w in lex.get(key) or [])
    for heads in (lex.get("heads") or {}).values():
        words.update(fold(str(w)).rstrip("-") for w in heads or [])
    for spec in dom.measures.values():
        words.update(fold(str(w)) for w in spec.get("words") or [])
    words |= dom.given_names | set(dom.demonyms) | set(dom.months) | set(dom.weekdays)
    words |= {fold(t) for t in dom.titles} | {fold(f) for _n, forms in dom.ranks for f in forms}
    for name, etype, source, key in library_places():
        if key in known or key in words or key in dom.weak_places or len(key) <= 3:
            continue
        dom.weak_places[key] = GazEntry(name, etype, [name], [], {}, source, weak=True)


def user_gazetteers() -> list[Path]:
    """Extra gazetteer files: ``$PKTUI_GAZETTEER`` (os.pathsep-separated) and the XDG config."""
    paths = [Path(p) for p in os.environ.get(USER_GAZETTEER_ENV, "").split(os.pathsep) if p]
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "pktui" / "gazetteer.yaml"
    if os.path.lexists(config):  # a FIFO or device there is named, not skipped or waited on
        paths.append(config)
    return paths


@lru_cache(maxsize=1)
def load_domain() -> Domain:
    """The domain data (bundled files plus the user's gazetteers), loaded once per process;
    without user gazetteers, from a copy kept in the cache folder while the bundled files, the
    libraries and pktui are the same (parsing the YAML and the libraries' places takes 0.6 s
    of every command that extracts; the copy is read in a third of that)."""
    extra = user_gazetteers()
    if extra:
        return _load_files(domain_dir(), extra)
    kept = _kept_domain_path()
    if kept is not None:
        with contextlib.suppress(Exception):  # absent, damaged, another Python's: made again
            with kept.open("rb") as f:
                dom = pickle.load(f)
            if isinstance(dom, Domain):
                return dom
    dom = _load_files(domain_dir(), [])
    if kept is not None:
        _keep(dom, kept)
    return dom


def _kept_domain_path() -> Path | None:
    """Where the parsed bundled data is kept: named by what it is made from."""
    from pktui import __version__
    from pktui.domain.libraries import library_versions

    digest = hashlib.sha256(f"{__version__}\0{library_versions()}\0{sys.version}".encode())
    try:
        for path in sorted(domain_dir().glob("*.yaml")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    except OSError:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pktui" / "domain" / f"{digest.hexdigest()[:24]}.pickle"


def _keep(dom: Domain, path: Path) -> None:
    """Write the copy (then rename: never half a file); where the cache cannot be written, nothing."""
    with contextlib.suppress(OSError, pickle.PicklingError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        with tmp.open("wb") as f:
            pickle.dump(dom, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for old in path.parent.glob("*.pickle"):  # copies of other versions go
            if old != path:
                old.unlink(missing_ok=True)
