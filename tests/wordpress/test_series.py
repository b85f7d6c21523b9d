"""Part markers in WordPress titles become series parts; headlines that merely contain the words do not."""

import pytest

from minbar.wordpress.series import PartMarker, organize_series_part, part_marker, series_key


@pytest.mark.parametrize(
    ("title", "base", "part"),
    [
        ("عن المدينة والماء (ج1)", "عن المدينة والماء", 1),
        ("عن المدينة والماء ج2", "عن المدينة والماء", 2),
        ("عن المدينة والماء - ج.3", "عن المدينة والماء", 3),
        ("عن المدينة والماء ج ١", "عن المدينة والماء", 1),
        ("عن المدينة والماء - الجزء الثالث", "عن المدينة والماء", 3),
        ("عن المدينة والماء: الجزء الأول", "عن المدينة والماء", 1),
        ("عن المدينة والماء (الجزء 4)", "عن المدينة والماء", 4),
        ("عن المدينة والماء [الحلقة الخامسة]", "عن المدينة والماء", 5),
        ("الحلقة الثانية: عن المدينة والماء", "عن المدينة والماء", 2),
        ("(ج3) - عن المدينة والماء", "عن المدينة والماء", 3),
        ("ئاو لە شار - بەشی دووەم", "ئاو لە شار", 2),
        ("ئاو لە شار بەشی ٣", "ئاو لە شار", 3),
        ("Water and the city, Part 2", "Water and the city", 2),
    ],
)
def test_a_part_marker_is_read_and_taken_out_of_the_title(title, base, part):
    assert part_marker(title) == PartMarker(base, part)


@pytest.mark.parametrize(
    "title",
    [
        "الجزء الأول من الخطة ينفذ اليوم",  # the words open a headline: no colon or dash after them
        "موسم الحج 2",  # ج at the end of a word is not a marker
        "كتاب (2)",  # a bare number is not a part
        "مقابلة مع الوزير ج",
        "عن المدينة والماء - الجزء الحادي عشر",  # ordinals past ten are not guessed
        "",
    ],
)
def test_titles_without_a_marker_are_left_alone(title):
    assert part_marker(title) is None


def test_parts_of_one_series_share_a_key_whatever_their_spelling():
    first = part_marker("عن المدينة والماء (ج1)")
    third = part_marker("عَن المدينة  والمــاء - الجزء الثالث")
    assert series_key(first.title) == series_key(third.title)
    assert series_key(first.title) != series_key("عن المدينة والكهرباء")


@pytest.mark.parametrize(("raw", "part"), [("2", 2), ("٣", 3), (" 4 ", 4), ("0", None), ("", None), ("x", None), (None, None)])
def test_organize_series_part_numbers(raw, part):
    assert organize_series_part(raw) == part
