"""The text functions readers meet through search, slugs and highlighting."""

import pytest

from minbar.arabic import (
    SPELLING_VARIANTS,
    analyze,
    analyze_pairs,
    build_variants,
    mark_matches,
    matches,
    normalize,
    slugify,
    stem,
    tokens,
)


def test_normalize_folds_spellings_and_keeps_letters_that_differ():
    assert normalize("أَمْرِيكَا") == "امريكا"
    assert normalize("مستشفى الحكومة") == "مستشفي الحكومه"
    assert normalize("ترکيز ھيئة") == "تركيز هييه"  # ئ is ي carrying a hamza
    assert normalize("مسؤول") == "مسوول"
    # ژ and ز, پ and ب, گ and ک are different letters: never folded together.
    assert normalize("ژیان") != normalize("زیان")
    assert normalize("پار") != normalize("بار")


def test_digits_of_every_script_become_ascii_and_split_from_letters():
    assert tokens("عام ۲۰۲۲ و٢٠٢٣") == ["عام", "2022", "و", "2023"]
    assert tokens("5000عنصر") == ["5000", "عنصر"]


def test_stems_merge_the_forms_a_reader_means():
    assert stem("قيادتها") == stem("القيادة")
    assert stem("والمدينة") == stem("مدينة") == stem("بالمدينة")
    assert stem("ڕۆژنامەکان") == stem("ڕۆژنامە")
    # The article is stripped, but a word is never cut to a bare prefix.
    assert stem("التلفزيون") != stem("تل")
    assert stem("") == ""


def test_exact_forms_survive_next_to_the_shared_stem():
    (prisoners_form, prisoners_stem), = analyze_pairs("الأسرى")
    (family_form, family_stem), = analyze_pairs("الأسرة")
    assert prisoners_stem == family_stem
    assert prisoners_form != family_form


def test_spelling_variants_table_reaches_affixed_forms():
    assert matches("كردستان", "في إقليم كوردستان")
    assert matches("كردستان", "زار لكوردستان")
    assert matches("الكوردستاني", "البرلمان الكردستاني")
    assert "كوردستان" in SPELLING_VARIANTS


def test_editor_variants_are_folded_and_chains_resolve():
    table = build_variants([("سوريّة", "سوريا"), ("سوريه", "سوريا"), ("شام", "سوريّة")])
    assert table["سوريه"] == "سوريا"
    assert table["شام"] == "سوريا"  # a chain ends at its canonical form
    assert not matches("سوريا", "زيارة إلى الشام")
    assert matches("سوريا", "زيارة إلى الشام", variants=table)
    # A cycle cannot make the analysis loop or flip-flop.
    cyclic = build_variants([("الف", "باء"), ("باء", "الف")], base={})
    assert analyze("الف باء", variants=cyclic) == analyze(" ".join(analyze("الف باء", variants=cyclic)), variants=cyclic)
    # Phrases and empty entries are ignored rather than corrupting the table.
    assert build_variants([("كلمتان هنا", "واحدة"), ("", "x")], base={}) == {}


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        analyze("نص", lang="fa")
    assert analyze("نص", lang="ckb") == analyze("نص", lang="ar")


def test_mark_matches_keeps_the_original_text_and_marks_whole_words():
    text = "أعلنت الحكومةُ أنّ الأسرى عادوا، وقال مسؤول إن الأسرى بخير."
    pieces = mark_matches(text, analyze("الاسرى"))
    assert "".join(piece for piece, _ in pieces) == text
    assert [piece for piece, marked in pieces if marked] == ["الأسرى", "الأسرى"]
    marked_vowelled = mark_matches("الحُكُومَة قررت", analyze("حكومه"))
    assert marked_vowelled[0] == ("الحُكُومَة", True)


def test_slugify_reads_like_the_title():
    assert slugify("داعش في قلبِ المدينة ج1") == "داعش-في-قلب-المدينة-ج1"
    assert slugify("أخبارُ   الـــيوم: ٢٠٢٢!") == "أخبار-اليوم-2022"
    assert slugify("Minbar Launches, Today") == "minbar-launches-today"
    assert slugify("ڕۆژنامەی\u200cنوێ") == "ڕۆژنامەینوێ"
    assert slugify("؟!…") == ""


def test_slugify_cuts_long_titles_on_a_word_boundary():
    slug = slugify(" ".join(["كلمة"] * 40), max_length=30)
    assert len(slug) <= 30
    assert slug.split("-") == ["كلمة"] * 6


def test_endings_never_cut_a_word_to_two_letters():
    # مدينة → مدين, not مد: a two-letter stem would match a crowd of words.
    assert stem("مدينة") == stem("المدينة") == "مدين"
    assert stem("مدينة") != stem("مدد")


def test_only_a_pronoun_turns_ta_back_into_ta_marbuta():
    assert stem("حكومتها") == stem("حكومته") == stem("الحكومة")
    assert stem("بيتها") == stem("بيت")  # a short word keeps its ت
    assert stem("كردستان") != stem("كردسه")


def test_variants_written_in_kurdish_letters_and_behind_stacked_endings():
    table = build_variants([("پەرلەمان", "برلمان"), ("ايزيدي", "يزيدي")])
    assert matches("پەرلەمان", "جلسة البرلمان", variants=table)
    assert matches("يزيدي", "عاد الإيزيديين إلى قراهم", variants=table)
