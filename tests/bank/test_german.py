"""Cases of event names (HanTa finds adjectives and head), contractions, lemmas."""

from __future__ import annotations

import pytest

from quizapp.bank.german import DeclensionError, decline, lemma


@pytest.mark.parametrize(
    ("name", "gender", "gen", "dat", "acc"),
    [
        (  # masculine, a postmodifier that stays
            "der Frieden von Portsmouth",
            "m",
            "des Friedens von Portsmouth",
            "dem Frieden von Portsmouth",
            "den Frieden von Portsmouth",
        ),
        (  # feminine: only the article changes
            "die Konferenz von Jalta",
            "f",
            "der Konferenz von Jalta",
            "der Konferenz von Jalta",
            "die Konferenz von Jalta",
        ),
        (  # neuter with an adjective (weak endings) and -nis -> -nisses
            "das britisch-japanische Bündnis",
            "n",
            "des britisch-japanischen Bündnisses",
            "dem britisch-japanischen Bündnis",
            "das britisch-japanische Bündnis",
        ),
        (  # plural: dative -n
            "die Sechs-Parteien-Gespräche",
            "pl",
            "der Sechs-Parteien-Gespräche",
            "den Sechs-Parteien-Gesprächen",
            "die Sechs-Parteien-Gespräche",
        ),
        (  # masculine with an adjective: accusative -en
            "der französisch-russische Zweibund",
            "m",
            "des französisch-russischen Zweibunds",
            "dem französisch-russischen Zweibund",
            "den französisch-russischen Zweibund",
        ),
        (  # the head HanTa alone mistakes for an adjective, and an ordinal before a noun
            "der Nichtangriffspakt zwischen der UdSSR und Deutschland",
            "m",
            "des Nichtangriffspakts zwischen der UdSSR und Deutschland",
            "dem Nichtangriffspakt zwischen der UdSSR und Deutschland",
            "den Nichtangriffspakt zwischen der UdSSR und Deutschland",
        ),
        (
            "der 38. Breitengrad",
            "m",
            "des 38. Breitengrads",
            "dem 38. Breitengrad",
            "den 38. Breitengrad",
        ),  # fmt: skip
    ],
)
def test_names_decline_in_every_gender_and_number(name, gender, gen, dat, acc):
    phrase = decline(name)
    assert (phrase.gender, phrase.nom, phrase.gen, phrase.dat, phrase.acc) == (
        gender,
        name,
        gen,
        dat,
        acc,
    )


def test_prepositions_contract_with_the_article():
    assert decline("der Frieden von Portsmouth").after("an", "dat") == "am Frieden von Portsmouth"
    assert decline("die Konferenz von Jalta").after("an", "dat") == "an der Konferenz von Jalta"
    assert decline("die Schlacht bei Mukden").after("in", "dat") == "in der Schlacht bei Mukden"
    assert decline("das erste Treffen").after("zu", "dat") == "zum ersten Treffen"
    assert decline("die Sechs-Parteien-Gespräche").after("an", "dat") == (
        "an den Sechs-Parteien-Gesprächen"
    )


def test_given_forms_win_over_the_rules():
    phrase = decline("der Russisch-Japanische Krieg", gen="des Russisch-Japanischen Krieges")
    assert phrase.gen == "des Russisch-Japanischen Krieges"
    assert phrase.dat == "dem Russisch-Japanischen Krieg"


@pytest.mark.parametrize("name", ["Frieden von Portsmouth", "ein Vertrag", "der", "die 1905"])
def test_names_without_article_or_noun_are_refused(name):
    with pytest.raises(DeclensionError):
        decline(name)


def test_lemmas_undo_inflection():
    assert lemma("Neutralitätspaktes") == "Neutralitätspakt"
    assert lemma("Sachalins") == "Sachalin"
    assert lemma("Indiens") == "Indien"
