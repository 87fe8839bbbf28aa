"""The topics questions are filed under, and a keyword classifier for generated ones."""

from __future__ import annotations

import re

#: slug -> (German name, keyword patterns). Order matters: the first match wins.
TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "russisch-japanischer-krieg": (
        "Russisch-Japanischer Krieg 1904/05",
        (r"Portsmouth", r"Port Arthur", r"Tsushima", r"Mukden", r"1904", r"1905", r"Potemkin"),
    ),
    "japan-russland-vor-1945": (
        "Japan und Russland bis 1945",
        (
            r"Neutralitätspakt",
            r"Sachalin",
            r"Konvention vom Juli 1907",
            r"Wladiwostok",
            r"Khalkhin",
            r"Primorje",
            r"Shiratori",
            r"Tatekawa",
            r"Matsuoka",
            r"1907",
            r"1910",
            r"1916",
            r"1925",
            r"1941",
        ),
    ),
    "zweiter-weltkrieg": (
        "Zweiter Weltkrieg und Separatfrieden",
        (
            r"Hitler",
            r"Stalingrad",
            r"Separatfrieden",
            r"separaten Frieden",
            r"Casablanca",
            r"Ribbentrop",
            r"Molotow",
            r"Teheran",
            r"Weltkrieg",
        ),
    ),
    "korea": (
        "Korea und Russland",
        (
            r"Korea",
            r"Pjöngjang",
            r"Kim ",
            r"Kim-",
            r"Jalta",
            r"Tumen",
            r"Breitengrad",
            r"Resolution",
            r"Sechs-Parteien",
            r"Nyŏngbyŏn",
            r"Nyongbyon",
        ),
    ),
    "japan-russland-heute": (
        "Japan und Russland heute",
        (
            r"Kurilen",
            r"Lawrow",
            r"Schoigu",
            r"\bAbe\b",  # the prime minister, not "Aber" or "Abend"
            r"Kishida",
            r"2\+2",
            r"Friedensvertrag",
            r"THAAD",
        ),
    ),
}

FALLBACK = "allgemein"
FALLBACK_NAME = "Allgemeine Diplomatiegeschichte"


def topic_name(slug: str) -> str:
    """Return the German display name of a topic slug."""
    if slug == FALLBACK:
        return FALLBACK_NAME
    return TOPICS[slug][0]


def all_topics() -> list[tuple[str, str]]:
    """Return (slug, name) for every topic, fallback last."""
    return [(slug, name) for slug, (name, _) in TOPICS.items()] + [(FALLBACK, FALLBACK_NAME)]


def classify(text: str) -> str:
    """Return the slug of the first topic whose keywords occur in ``text``."""
    for slug, (_, patterns) in TOPICS.items():
        if any(re.search(p, text) for p in patterns):
            return slug
    return FALLBACK
