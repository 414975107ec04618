"""Brill's tagger: its rules on a small lexicon written here, then the installed one."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.respond.tagger import SortedLexicon, data_folder, default_tagger, read_tagger


@pytest.fixture
def small(tmp_path: Path) -> Path:
    (tmp_path / "en-lexicon.txt").write_text(
        ";;; a comment\nthe DT\nto TO\nwait NN\nmy PRP$\nparcel NN\nis VBZ\nlate JJ\n",
        encoding="utf-8",
    )
    # Unknown words: "-ly" is an adverb; an NN ending in "s" is plural.
    (tmp_path / "en-morphology.txt").write_text(
        "ly hassuf 2 RB x\nNN s fhassuf 1 NNS x\n", encoding="utf-8"
    )
    # "to wait": NN becomes VB after TO; "is late" stays JJ (no rule for it).
    (tmp_path / "en-context.txt").write_text("NN VB PREVTAG TO\n", encoding="utf-8")
    return tmp_path


def test_the_lexicon_gives_known_words_their_tag(small: Path) -> None:
    tagger = read_tagger(small)
    assert tagger.tag(["my", "parcel", "is", "late"]) == ["PRP$", "NN", "VBZ", "JJ"]


def test_a_capitalised_or_shouted_known_word_is_still_known(small: Path) -> None:
    assert read_tagger(small).tag(["MY", "Parcel"]) == ["PRP$", "NN"]


def test_unknown_words_get_names_numbers_and_suffix_rules(small: Path) -> None:
    tags = read_tagger(small).tag(["Kestrel", "2", "boxes", "slowly", "gizmo"])
    assert tags == ["NNP", "CD", "NNS", "RB", "NN"]


def test_a_context_rule_turns_a_noun_into_a_verb(small: Path) -> None:
    tagger = read_tagger(small)
    assert tagger.tag(["the", "wait"]) == ["DT", "NN"]
    assert tagger.tag(["to", "wait"]) == ["TO", "VB"]


def test_a_noun_becomes_a_verb_only_after_to_or_a_modal(small: Path) -> None:
    # A learnt rule "NN → VBG before a determiner" would make "button" a verb.
    (small / "en-context.txt").write_text("NN VBG NEXTTAG DT\nNN VB PREVTAG TO\n", encoding="utf-8")
    tagger = read_tagger(small)
    assert tagger.tag(["my", "parcel", "the"])[1] == "NN"
    assert tagger.tag(["to", "wait"])[1] == "VB"


def test_an_unlisted_s_form_of_a_listed_verb_is_a_verb(small: Path) -> None:
    (small / "en-lexicon.txt").write_text("the DT\nit PRP\nmisplace VB\n", encoding="utf-8")
    (small / "en-morphology.txt").write_text("NN s fhassuf 1 NNS x\n", encoding="utf-8")
    tagger = read_tagger(small)
    assert tagger.tag(["it", "misplaces"])[1] == "VBZ"
    assert tagger.tag(["the", "misplaces"])[1] == "NNS"


def test_a_number_stays_a_number_whatever_the_rules_say(small: Path) -> None:
    (small / "en-context.txt").write_text("CD VB PREVTAG NNP\n", encoding="utf-8")
    assert read_tagger(small).tag(["Charge", "2"]) == ["NNP", "CD"]


def test_only_a_capitalised_word_becomes_a_name(small: Path) -> None:
    # News prose taught "RB → NNP after NNP"; in "went with Book Depository instead" the
    # adverb is no part of the name.
    (small / "en-lexicon.txt").write_text("instead RB\nInstead RB\n", encoding="utf-8")
    (small / "en-context.txt").write_text("RB NNP PREVTAG NNP\n", encoding="utf-8")
    tagger = read_tagger(small)
    assert tagger.tag(["Depository", "instead"]) == ["NNP", "RB"]
    assert tagger.tag(["Depository", "Instead"]) == ["NNP", "NNP"]


def test_a_word_in_s_between_a_noun_and_an_object_pronoun_is_a_verb(small: Path) -> None:
    (small / "en-lexicon.txt").write_text(
        "the DT\nmy PRP$\napp NN\nme PRP\nout RP\nsaved VBN\nsaves VBZ\n", encoding="utf-8"
    )
    tagger = read_tagger(small)
    # "logs" is unknown: a plural noun by its ending, a verb by where it stands.
    assert tagger.tag(["the", "app", "logs", "me", "out"])[2] == "VBZ"
    assert tagger.tag(["the", "app", "logs"])[2] == "NNS"
    assert tagger.tag(["nobody", "answers", "the", "phone"])[1] == "VBZ"


def test_a_word_in_s_after_a_determiner_is_a_plural_noun(small: Path) -> None:
    (small / "en-lexicon.txt").write_text(
        "the DT\nmy PRP$\napp NN\nsaved VBN\nsaves VBZ\n", encoding="utf-8"
    )
    tagger = read_tagger(small)
    assert tagger.tag(["my", "saves"])[1] == "NNS"
    assert tagger.tag(["my", "saved", "saves"])[2] == "NNS"  # one describing word between
    assert tagger.tag(["the", "app", "saves"])[2] == "VBZ"  # after a noun: its verb


def test_a_sorted_lexicon_is_searched_where_it_lies(small: Path) -> None:
    (small / "en-lexicon.txt").write_text(
        ";;; credits\n;;; more\nbag NN\nit PRP\nmisplace VB\nthe DT\nzip NN\n", encoding="utf-8"
    )
    lexicon = read_tagger(small).lexicon
    assert isinstance(lexicon, SortedLexicon)
    assert [lexicon.get(w) for w in ("bag", "misplace", "zip", "the")] == ["NN", "VB", "NN", "DT"]
    assert lexicon.get("a") is None and lexicon.get("zz") is None and lexicon.get("") is None
    assert "it" in lexicon and "its" not in lexicon and ";;;" not in lexicon
    with pytest.raises(KeyError):
        lexicon["missing"]
    assert list(lexicon) == ["bag", "it", "misplace", "the", "zip"] and len(lexicon) == 5


def test_the_sorted_lexicon_remembers_a_bounded_number_of_lookups(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import monitor.respond.tagger as tagger_module

    monkeypatch.setattr(tagger_module, "_REMEMBERED", 2)
    lexicon = SortedLexicon("bag NN\nit PRP\nthe DT\n")
    looked_up = [lexicon.get(w) for w in ("bag", "typo1", "it", "typo2", "the", "bag")]
    assert looked_up == ["NN", None, "PRP", None, "DT", "NN"]
    assert len(lexicon._found) <= 2


def test_a_lexicon_in_another_order_becomes_a_dict(small: Path) -> None:
    assert isinstance(read_tagger(small).lexicon, dict)  # the fixture is unsorted
    # A long file is sampled, not read whole: one in reverse order fails at once.
    words = [f"w{n:05d} NN" for n in range(2000)]
    (small / "en-lexicon.txt").write_text("\n".join(reversed(words)) + "\n", encoding="utf-8")
    lexicon = read_tagger(small).lexicon
    assert isinstance(lexicon, dict) and lexicon["w00042"] == "NN"
    (small / "en-lexicon.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    lexicon = read_tagger(small).lexicon
    assert isinstance(lexicon, SortedLexicon) and lexicon["w00042"] == "NN"


@pytest.mark.skipif(data_folder() is None, reason="TextBlob's tagger files are not installed")
def test_the_installed_lexicon_is_sorted_and_searched_like_a_dict() -> None:
    """The sampled check trusts the installed file's order: here it is checked whole,
    and every entry is found with its tag."""
    folder = data_folder()
    assert folder is not None
    lines = [
        line
        for line in (folder / "en-lexicon.txt").read_text("utf-8").split("\n")
        if line and not line.startswith(";")
    ]
    entries = dict(line.split(" ", 1) for line in lines)
    assert list(entries) == sorted(entries) and len(entries) == len(lines)
    lexicon = read_tagger(folder).lexicon
    assert isinstance(lexicon, SortedLexicon)
    assert all(lexicon.get(word) == tag for word, tag in entries.items())
    assert lexicon.get("qwertyzzz") is None


@pytest.mark.skipif(data_folder() is None, reason="TextBlob's tagger files are not installed")
def test_the_installed_tagger_tells_describing_words_from_things() -> None:
    tagger = default_tagger()
    assert tagger is not None
    words = ["makes", "your", "site", "worthless"]
    assert tagger.tag(words)[2:] == ["NN", "JJ"]
    assert tagger.tag(["they", "want", "me", "to", "wait"])[-1].startswith("VB")
