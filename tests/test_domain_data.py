"""The domain YAML files: valid, well-formed, consistent, and holding the facts the extractor needs."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from pktui.text import fold

DOMAIN = Path(str(resources.files("pktui") / "domain"))

# file -> (list key, canonical-name key, {field: allowed types}, optional fields)
GAZETTEERS: dict[str, tuple[str, str, dict[str, tuple[type, ...]], dict[str, tuple[type, ...]]]] = {
    "countries.yaml": (
        "countries",
        "name",
        {"name": (str,), "aliases": (list,), "demonyms": (list,), "iso3": (str,)},
        {},
    ),
    "missions.yaml": (
        "missions",
        "acronym",
        {
            "acronym": (str,),
            "name": (str,),
            "aliases": (list,),
            "host": (list,),
            "location": (str,),
            "years": (str,),
            "status": (str,),
            "kind": (str,),
        },
        {},
    ),
    "organizations.yaml": (
        "organizations",
        "name",
        {"name": (str,), "acronyms": (list,), "aliases": (list,), "kind": (str,), "country": (str, type(None))},
        {"ambiguous": (bool,)},
    ),
    "locations.yaml": (
        "locations",
        "name",
        {"name": (str,), "aliases": (list,), "country": (str, type(None)), "kind": (str,)},
        {"ambiguous": (bool,)},
    ),
    "programmes.yaml": (
        "programmes",
        "name",
        {"name": (str,), "acronyms": (list,), "aliases": (list,)},
        {"kind": (str,), "ambiguous": (bool,)},
    ),
    "ranks.yaml": (
        "ranks",
        "name",
        {"name": (str,), "abbreviations": (list,), "aliases": (list,), "kind": (str,), "order": (int,)},
        {},
    ),
    "titles.yaml": (
        "titles",
        "title",
        {"title": (str,), "aliases": (list,), "org_hint": (str, type(None))},
        {},
    ),
}

KINDS = {
    "missions.yaml": {"peacekeeping", "political", "regional"},
    "organizations.yaml": {"un", "government", "military", "media", "international", "ngo", "other"},
    "locations.yaml": {
        "city",
        "region",
        "province",
        "district",
        "airport",
        "base",
        "site",
        "continent",
        "subregion",
        "body-of-water",
        "building",
    },
    "ranks.yaml": {"military", "police", "civil"},
}

NAME_LISTS = ["vietnamese_surnames", "vietnamese_middle_names", "given_names", "name_particles", "honorific_prefixes"]


def _load(name: str) -> Any:
    with (DOMAIN / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _items(name: str) -> list[dict[str, Any]]:
    return _load(name)[GAZETTEERS[name][0]]


def _canonical(name: str, item: dict[str, Any]) -> str:
    return item[GAZETTEERS[name][1]]


def _surface_forms(name: str, item: dict[str, Any]) -> list[str]:
    """Every way an entry is written: canonical name, full name, aliases, acronyms, abbreviations."""
    forms = [item.get("name"), item.get("title"), item.get("acronym")]
    for key in ("aliases", "acronyms", "abbreviations"):
        forms.extend(item.get(key) or [])
    return [f for f in dict.fromkeys(forms) if f]


@pytest.fixture(scope="module")
def countries() -> set[str]:
    return {c["name"] for c in _items("countries.yaml")}


@pytest.fixture(scope="module")
def organizations() -> set[str]:
    return {o["name"] for o in _items("organizations.yaml")}


# -- every file ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.yaml")), ids=lambda p: p.name)
def test_every_yaml_loads_safely(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: top level must be a mapping"


@pytest.mark.parametrize("name", [*GAZETTEERS, "names.yaml"])
def test_version_and_list_key(name: str) -> None:
    data = _load(name)
    assert data.get("version") == 1
    keys = [GAZETTEERS[name][0]] if name in GAZETTEERS else NAME_LISTS
    for key in keys:
        assert isinstance(data.get(key), list) and data[key], f"{name}: '{key}' must be a non-empty list"


# -- gazetteer schema -----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(GAZETTEERS))
def test_gazetteer_schema(name: str) -> None:
    _key, _canon, required, optional = GAZETTEERS[name]
    for i, item in enumerate(_items(name)):
        assert isinstance(item, dict), f"{name} #{i}: not a mapping"
        missing = set(required) - set(item)
        extra = set(item) - set(required) - set(optional)
        assert not missing, f"{name} #{i} {item}: missing {missing}"
        assert not extra, f"{name} #{i} {item}: unexpected keys {extra}"
        for field, types in {**required, **optional}.items():
            if field in item:
                assert isinstance(item[field], types), f"{name} #{i}: {field} has type {type(item[field])}"
                if isinstance(item[field], list):
                    for v in item[field]:
                        assert isinstance(v, str) and v.strip() == v and v, f"{name} #{i}: bad {field} value {v!r}"
                    assert len(item[field]) == len(set(item[field])), f"{name} #{i}: repeated {field} values"
        if "ambiguous" in item:
            assert item["ambiguous"] is True, f"{name} #{i}: write ambiguous: true or leave it out"
        if name in KINDS:
            assert item["kind"] in KINDS[name], f"{name} #{i}: unknown kind {item['kind']!r}"


@pytest.mark.parametrize("name", list(GAZETTEERS))
def test_no_duplicate_canonical_names(name: str) -> None:
    counts = Counter(_canonical(name, item) for item in _items(name))
    assert not [n for n, c in counts.items() if c > 1]


@pytest.mark.parametrize("name", list(GAZETTEERS))
def test_no_form_names_two_entries(name: str) -> None:
    """A surface form belongs to one entry unless every entry sharing it says ``ambiguous: true``."""
    owners: dict[str, set[str]] = defaultdict(set)
    flagged: dict[str, bool] = {}
    for item in _items(name):
        canon = _canonical(name, item)
        flagged[canon] = bool(item.get("ambiguous"))
        for form in _surface_forms(name, item):
            owners[form].add(canon)
    clashes = {f: o for f, o in owners.items() if len(o) > 1 and not all(flagged[c] for c in o)}
    assert not clashes, f"{name}: forms shared by several entries: {clashes}"


def _is_acronym_form(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return bool(letters) and len(form) <= 10 and " " not in form and all(c.isupper() for c in letters)


@pytest.mark.parametrize(
    "name", ["countries.yaml", "missions.yaml", "organizations.yaml", "locations.yaml", "programmes.yaml"]
)
def test_folded_forms_do_not_clash(name: str) -> None:
    """Forms are matched case- and diacritic-insensitively (acronyms keep their case), so folded forms must not
    clash either, unless the entries say ``ambiguous: true``."""
    owners: dict[str, set[str]] = defaultdict(set)
    flagged: dict[str, bool] = {}
    for item in _items(name):
        canon = _canonical(name, item)
        flagged[canon] = bool(item.get("ambiguous"))
        acronyms = set(item.get("acronyms") or []) | {item.get("acronym")}
        for form in _surface_forms(name, item):
            if form in acronyms or _is_acronym_form(form):
                continue
            owners[fold(form)].add(canon)
    clashes = {f: o for f, o in owners.items() if len(o) > 1 and not all(flagged[c] for c in o)}
    assert not clashes, f"{name}: folded forms shared by several entries: {clashes}"


# -- cross references -----------------------------------------------------------------------


def test_country_references_resolve(countries: set[str]) -> None:
    for name in ("organizations.yaml", "locations.yaml"):
        for item in _items(name):
            assert item["country"] is None or item["country"] in countries, f"{name}: {item}"
    for m in _items("missions.yaml"):
        assert m["host"], m
        for h in m["host"]:
            assert h in countries, f"missions.yaml {m['acronym']}: unknown host {h!r}"


def test_title_org_hints_resolve(organizations: set[str]) -> None:
    for t in _items("titles.yaml"):
        assert t["org_hint"] is None or t["org_hint"] in organizations, t


# -- countries ------------------------------------------------------------------------------


def test_countries_cover_un_members_and_observers() -> None:
    items = _items("countries.yaml")
    names = {c["name"] for c in items}
    assert len(items) >= 197
    for n in ("Việt Nam", "South Africa", "Holy See", "Palestine", "Kosovo", "Taiwan", "Western Sahara"):
        assert n in names
    iso = [c["iso3"] for c in items]
    assert all(re.fullmatch(r"[A-Z]{3}", i) for i in iso)
    assert len(iso) == len(set(iso))


def test_vietnam_entry() -> None:
    vn = next(c for c in _items("countries.yaml") if c["iso3"] == "VNM")
    assert vn["name"] == "Việt Nam"
    for alias in ("Viet Nam", "Vietnam", "Socialist Republic of Viet Nam", "Socialist Republic of Vietnam"):
        assert alias in vn["aliases"]
    assert "Vietnamese" in vn["demonyms"]


def test_country_aliases_the_press_uses() -> None:
    by_name = {c["name"]: c for c in _items("countries.yaml")}
    expected = {
        "Democratic Republic of the Congo": ["Democratic Republic of Congo", "DR Congo", "DRC"],
        "South Korea": ["Republic of Korea", "ROK"],
        "Central African Republic": ["CAR"],
        "United States": ["United States of America", "U.S.", "US", "USA"],
        "United Kingdom": ["UK", "Britain", "Great Britain"],
        "Côte d'Ivoire": ["Ivory Coast"],
        "Türkiye": ["Turkey"],
        "Myanmar": ["Burma"],
        "Czechia": ["Czech Republic"],
        "Eswatini": ["Swaziland"],
        "Timor-Leste": ["East Timor"],
        "Cabo Verde": ["Cape Verde"],
    }
    for name, aliases in expected.items():
        for alias in aliases:
            assert alias in by_name[name]["aliases"], (name, alias)
    assert "SA" not in by_name["South Africa"]["aliases"]
    assert "South African" in by_name["South Africa"]["demonyms"]
    assert "Congolese" in by_name["Democratic Republic of the Congo"]["demonyms"]


def test_demonyms_name_one_country() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for c in _items("countries.yaml"):
        for d in c["demonyms"]:
            owners[fold(d)].add(c["name"])
    assert not {d: o for d, o in owners.items() if len(o) > 1}


# -- missions -------------------------------------------------------------------------------


def test_missions_cover_current_and_past() -> None:
    items = _items("missions.yaml")
    assert len(items) >= 60
    acronyms = {m["acronym"] for m in items}
    for a in (
        "UNTSO", "UNMOGIP", "UNFICYP", "UNDOF", "UNIFIL", "MINURSO", "MONUSCO", "MONUC", "UNMISS",
        "UNISFA", "MINUSCA", "MINUSMA", "UNMIK", "UNAMID", "UNMIL", "UNOCI", "MINUSTAH", "MINUJUSTH",
        "UNMIT", "UNMIS", "UNMEE", "UNAMSIL", "UNTAET", "UNMISET", "UNTAC", "UNPROFOR", "ONUC", "ONUMOZ",
        "UNOSOM I", "UNOSOM II", "UNAMIR", "UNTAG", "UNEF I", "UNEF II", "UNAMA", "UNAMI", "UNSOM",
        "UNSMIL", "BINUH", "UNMHA", "UNITAMS", "AMISOM", "ATMIS", "AUSSOM", "SAMIDRC", "KFOR",
    ):  # fmt: skip
        assert a in acronyms, a
    assert sum(m["kind"] == "peacekeeping" for m in items) >= 60


def test_mission_years_and_status() -> None:
    for m in _items("missions.yaml"):
        assert re.fullmatch(r"\d{4}(-(\d{4})?)?", m["years"]), m
        assert m["status"] in {"current", "past"}, m
        open_ended = m["years"].endswith("-")
        assert open_ended == (m["status"] == "current"), m


def test_unisfa_and_unmiss_names() -> None:
    by = {m["acronym"]: m for m in _items("missions.yaml")}
    unisfa = by["UNISFA"]
    assert unisfa["name"] == "United Nations Interim Security Force for Abyei"
    assert "UN Interim Security Force for Abyei" in unisfa["aliases"]
    assert set(unisfa["host"]) == {"Sudan", "South Sudan"}
    assert unisfa["location"] == "Abyei" and unisfa["status"] == "current"
    unmiss = _surface_forms("missions.yaml", by["UNMISS"])
    for form in (
        "United Nations Mission in South Sudan",
        "UN Mission in South Sudan",
        "UN Mission in the Republic of South Sudan",
    ):
        assert form in unmiss
    assert (
        "United Nations Organization Stabilization Mission in the Democratic Republic of the Congo"
        in _surface_forms("missions.yaml", by["MONUSCO"])
    )


def test_united_nations_names_have_un_short_forms() -> None:
    for m in _items("missions.yaml"):
        if m["name"].startswith("United Nations "):
            short = "UN " + m["name"][len("United Nations ") :]
            assert short in m["aliases"], m["acronym"]


# -- organisations ----------------------------------------------------------------------------


def test_organizations_count_and_key_entries() -> None:
    items = _items("organizations.yaml")
    assert len(items) >= 150
    by = {o["name"]: o for o in items}
    un = by["United Nations"]
    assert {"UN", "U.N."} <= set(un["acronyms"])
    vdpo = by["Việt Nam Department of Peacekeeping Operations"]
    assert "VDPO" in vdpo["acronyms"]
    assert "Viet Nam Department of Peacekeeping Operations" in vdpo["aliases"]
    mnd = by["Ministry of National Defence"]
    assert mnd["country"] == "Việt Nam" and "MND" in mnd["acronyms"] and "Ministry of Defence" in mnd["aliases"]
    vpa = by["Vietnam People's Army"]
    assert "VPA" in vpa["acronyms"] and "Việt Nam People's Army" in vpa["aliases"]
    assert "SANDF" in by["South African National Defence Force"]["acronyms"]
    assert "qdnd.vn" in by["People's Army Newspaper"]["aliases"]


def test_adf_is_marked_ambiguous() -> None:
    adf = [o for o in _items("organizations.yaml") if "ADF" in o["acronyms"]]
    assert {o["name"] for o in adf} == {"Australian Defence Force", "Allied Democratic Forces"}
    assert all(o.get("ambiguous") is True for o in adf)


# -- locations -------------------------------------------------------------------------------


def test_locations_count_and_key_entries() -> None:
    items = _items("locations.yaml")
    assert len(items) >= 500
    by = {loc["name"]: loc for loc in items}
    hanoi = by["Hà Nội"]
    assert {"Hanoi", "Ha Noi", "HÀ NỘI"} <= set(hanoi["aliases"]) and hanoi["country"] == "Việt Nam"
    hcmc = by["Hồ Chí Minh City"]
    assert {"Ho Chi Minh City", "HCM City", "TP.HCM", "Saigon"} <= set(hcmc["aliases"])
    assert "Noi Bai International Airport" in by["Nội Bài International Airport"]["aliases"]
    assert by["Abyei"]["kind"] == "region"
    assert "UN headquarters" in by["United Nations Headquarters"]["aliases"]
    for place in ("Juba", "Bentiu", "Malakal", "Goma", "Bangui", "Naqoura", "Pretoria", "Bloemfontein", "Sahel"):
        assert place in by, place
    assert {"Mafikeng", "Mafeking"} <= set(by["Mahikeng"]["aliases"])


def test_vietnamese_provinces_have_ascii_forms() -> None:
    provinces = [loc for loc in _items("locations.yaml") if loc["country"] == "Việt Nam" and loc["kind"] == "province"]
    assert len(provinces) >= 58
    for p in provinces:
        forms = _surface_forms("locations.yaml", p)
        if not p["name"].isascii():
            assert any(f.isascii() for f in forms), p["name"]


# -- programmes, ranks, titles -----------------------------------------------------------------


def test_programmes() -> None:
    items = _items("programmes.yaml")
    assert len(items) >= 30
    forms = {f for p in items for f in _surface_forms("programmes.yaml", p)}
    for f in ("A4P", "A4P+", "PCRS", "WPS", "women, peace and security", "Elsie Initiative", "DDR", "SDGs"):
        assert f in forms, f


def test_ranks() -> None:
    items = _items("ranks.yaml")
    by = {r["name"]: r for r in items}
    for r in items:
        if r["kind"] == "civil":
            assert r["order"] == 0, r
        else:
            assert r["order"] >= 1, r
    for abbr in ("Sen. Lieu. Gen.", "Sen. Lt. Gen.", "Snr Lt Gen"):
        assert abbr in by["Senior Lieutenant General"]["abbreviations"]
    for abbr in ("Lt. Gen.", "Lieu. Gen.", "Lieut. Gen.", "Lt Gen", "LTG"):
        assert abbr in by["Lieutenant General"]["abbreviations"]
    assert {"Maj. Gen.", "MG"} <= set(by["Major General"]["abbreviations"])
    assert {"Lt. Col.", "Lieut. Col.", "Lt.-Col."} <= set(by["Lieutenant Colonel"]["abbreviations"])
    assert "Sen. Col." in by["Senior Colonel"]["abbreviations"]
    assert by["Private"]["order"] < by["Sergeant"]["order"] < by["Lieutenant"]["order"] < by["Captain"]["order"]
    assert by["Major"]["order"] < by["Colonel"]["order"] < by["Major General"]["order"]
    assert by["Lieutenant General"]["order"] < by["Senior Lieutenant General"]["order"] < by["General"]["order"]
    assert by["Ms"]["kind"] == "civil"
    senator = by.get("Senator", {"abbreviations": []})
    assert "Sen." not in senator["abbreviations"]


def test_titles() -> None:
    items = _items("titles.yaml")
    assert len(items) >= 80
    by = {t["title"]: t for t in items}
    usg = by["Under-Secretary-General"]
    assert {"Under-Secretary General", "Under Secretary-General", "USG"} <= set(usg["aliases"])
    for t in (
        "Secretary-General", "Under-Secretary-General for Peace Operations", "Force Commander",
        "Deputy Minister of National Defence", "Special Representative of the Secretary-General",
        "military observer", "staff officer", "Director-General", "Defence Attaché",
    ):  # fmt: skip
        assert t in by, t
    assert by["Deputy Minister of National Defence"]["org_hint"] == "Ministry of National Defence"


# -- names ---------------------------------------------------------------------------------


def test_names_lists() -> None:
    data = _load("names.yaml")
    for key in NAME_LISTS:
        values = data[key]
        assert all(isinstance(v, str) and v for v in values), key
        assert len(values) == len(set(values)), f"names.yaml: repeated entries in {key}"
    surnames = set(data["vietnamese_surnames"])
    for s in ("Nguyễn", "Nguyen", "Hoàng", "Hoang", "Trần", "Tran", "Đặng", "Dang", "Lê", "Le"):
        assert s in surnames, s
    assert len({fold(s) for s in surnames}) >= 80
    assert {"Văn", "Van", "Thị", "Thi", "Xuân", "Xuan", "Kim"} <= set(data["vietnamese_middle_names"])
    given = set(data["given_names"])
    assert len(given) >= 1500
    for g in (
        "Jean-Pierre", "António", "Atul", "Bintou", "Martha", "Rosemary", "Catherine", "Nicholas",
        "Parfait", "Felix", "Félix", "Paul", "Cyril", "Thandi", "Sipho", "Thabo", "Nosiviwe", "Marie-Claire",
    ):  # fmt: skip
        assert g in given, g
    assert {"de", "van", "von", "bin", "al"} <= set(data["name_particles"])
    assert {"Mr", "Mr.", "Dr.", "Prof.", "Madam"} <= set(data["honorific_prefixes"])


def test_given_names_are_not_country_names() -> None:
    countries = {fold(f) for c in _items("countries.yaml") for f in [c["name"], *c["aliases"]]}
    given = {fold(g) for g in _load("names.yaml")["given_names"]}
    assert not (given & countries)


def test_domain_yaml_has_no_accidental_booleans():
    """YAML 1.1 reads bare on/off/yes/no as booleans: every word list must hold strings."""
    from pktui.domain import domain_dir

    def walk(node, where):
        if isinstance(node, dict):
            for k, v in node.items():
                assert not isinstance(k, bool), (where, k)
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for v in node:
                assert not isinstance(v, bool), (where, v)
                walk(v, where)

    for path in sorted(domain_dir().glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


def test_the_parsed_domain_is_kept_in_the_cache_and_read_back_whole(tmp_path, monkeypatch):
    """Without user gazetteers the parsed data is kept (keyed by the bundled files, the libraries
    and pktui's version) and read back equal; a damaged copy is made again; with a user
    gazetteer the files are read every time (its content is not in the key)."""
    import pktui.domain as domain

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("PKTUI_GAZETTEER", raising=False)
    domain.load_domain.cache_clear()
    try:
        fresh = domain.load_domain()
        kept = list((tmp_path / "cache" / "pktui" / "domain").glob("*.pickle"))
        assert len(kept) == 1
        domain.load_domain.cache_clear()
        again = domain.load_domain()
        assert again is not fresh and again.fingerprint == fresh.fingerprint
        assert again.weak_places.keys() == fresh.weak_places.keys() and again.ranks == fresh.ranks
        kept[0].write_bytes(b"not a pickle")
        domain.load_domain.cache_clear()
        assert domain.load_domain().fingerprint == fresh.fingerprint  # made again
        assert kept[0].read_bytes()[:1] == b"\x80"  # and kept again
        gazetteer = tmp_path / "gaz.yaml"
        gazetteer.write_text("locations:\n  - name: Zorbatown\n", encoding="utf-8")
        monkeypatch.setenv("PKTUI_GAZETTEER", str(gazetteer))
        domain.load_domain.cache_clear()
        assert any(e.name == "Zorbatown" for e in domain.load_domain().entries)
    finally:
        domain.load_domain.cache_clear()
