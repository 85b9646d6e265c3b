"""The rule-based extractor: mentions, types from names, short forms, relation patterns."""

from __future__ import annotations

from services.graph.extraction import (
    CO_OCCURS,
    EntityType,
    classify,
    entity_id,
    extract,
    normalise,
)


def facts(text: str) -> set[tuple[str, str, str]]:
    found = extract(text)
    return {
        (found.mentions[r.subject].name, r.predicate, found.mentions[r.object].name)
        for r in found.relations
    }


def test_mentions_resolve_short_forms_to_the_full_name() -> None:
    text = (
        "Acme Corporation acquired Widget Inc in 2015. Acme is headquartered in Tromsvik. "
        "The Nordic Maritime Authority (NMA) hired Erik Halvorsen. Halvorsen praised the NMA."
    )
    found = extract(text)
    by_text = {m.text: m for m in found.mentions}
    assert by_text["Acme"].entity_id == by_text["Acme Corporation"].entity_id
    assert by_text["NMA"].name == "Nordic Maritime Authority"
    assert by_text["Halvorsen"].name == "Erik Halvorsen"
    for mention in found.mentions:
        assert text[mention.start : mention.end] == mention.text


def test_types_come_from_names_alone() -> None:
    assert classify("Acme Corporation") is EntityType.ORGANIZATION
    assert classify("University of Bergvik") is EntityType.ORGANIZATION
    assert classify("Erik Halvorsen") is EntityType.PERSON
    assert classify("Kestrel X-17") is EntityType.PRODUCT
    assert classify("Lake Virla") is EntityType.OTHER  # no marker at the end: not guessed
    assert classify("Virla Lake") is EntityType.LOCATION


def test_designator_spellings_share_one_entity() -> None:
    assert normalise("ACME Corp.") == normalise("Acme Corporation") == "acme corporation"
    assert normalise("The Salt Road") == "salt road"
    a = extract("We met ACME Corp. there.").mentions[0]
    b = extract("We met Acme Corporation there.").mentions[0]
    assert a.entity_id == b.entity_id == entity_id(EntityType.ORGANIZATION, "acme corporation")


def test_verb_patterns_and_passive_voice() -> None:
    assert facts("Widget Inc was acquired by Halvard Marine Group in 2014.") == {
        ("Halvard Marine Group", "acquired", "Widget Inc")
    }
    assert facts("Skyvane Robotics was founded by Lars Aune.") == {
        ("Lars Aune", "founded", "Skyvane Robotics")
    }
    assert facts("Borealis Shipyards, a subsidiary of Okta Holdings, builds ships.") == {
        ("Borealis Shipyards", "subsidiary_of", "Okta Holdings")
    }
    assert facts("Ingrid Solberg is the chief executive of Halvard Marine Group.") == {
        ("Ingrid Solberg", "executive_of", "Halvard Marine Group")
    }
    assert facts("Lysander Biologics has its head office in Brenna.") == {
        ("Lysander Biologics", "headquartered_in", "Brenna")
    }


def test_unrelated_names_in_one_sentence_co_occur_and_sentences_do_not_mix() -> None:
    assert facts("Sigrid Lund met Jonas Eide at a long dinner in Kvalvik.") >= {
        ("Sigrid Lund", CO_OCCURS, "Kvalvik")
    }
    assert facts("Sigrid Lund sailed. Jonas Eide stayed.") == set()


def test_ordinary_capitalised_words_are_not_entities() -> None:
    found = extract("However, the engines were tested. Hydrogen engines are common in the 2010s.")
    assert found.mentions == []
    names = [m.name for m in extract("Corvaxin is a vaccine. Corvaxin works.").mentions]
    assert names == ["Corvaxin", "Corvaxin"]  # an unknown word at a sentence start is kept


def test_two_names_joined_by_and_stay_two() -> None:
    names = [m.name for m in extract("It was built by Lars Aune and Petra Vik.").mentions]
    assert names == ["Lars Aune", "Petra Vik"]
