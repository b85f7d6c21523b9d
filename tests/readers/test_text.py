"""Names and bodies as readers type them, cleaned of what could disguise or break them."""

import pytest

from minbar.readers.text import clean_body, clean_name


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("سلمى\u202e", "سلمى"),  # right-to-left override
        ("\u2067سلمى\u2069 أحمد", "سلمى أحمد"),  # isolates
        ("\u200fسلمى\u200e", "سلمى"),  # RLM, LRM
        ("\u061cهوزان", "هوزان"),  # Arabic letter mark
        ("سل\u200bمى", "سلمى"),  # zero-width space
        ("سل\u200dمى\u200c", "سلمى"),  # joiners
        ("\ufeffسلمى\u2060", "سلمى"),  # BOM, word joiner
        ("سلمى\x00\x07", "سلمى"),  # C0 controls
        ("سلمى\x85أحمد", "سلمى أحمد"),  # C1 next line
        ("سلمى\r\nBcc: x@example.org", "سلمى Bcc: x@example.org"),  # one line, always
        ("  سلمى \t  أحمد  ", "سلمى أحمد"),
        ("سلمى\u2028أحمد", "سلمى أحمد"),  # line separator
        ("سل\u00adمى", "سلمى"),  # soft hyphen
        ("سل\u2063مى", "سلمى"),  # invisible separator
        ("evil\u202egpj.exe", "evilgpj.exe"),
        ("\u0627\u0654", "\u0623"),  # NFC: alef + hamza above is one letter
        ("قسدـ", "قسدـ"),  # tatweel is visible: it stays
    ],
)
def test_a_name_loses_invisible_direction_and_control_characters(typed, shown):
    assert clean_name(typed) == shown


def test_a_name_of_nothing_visible_is_empty():
    assert clean_name("\u200b\u202e\u2066\x00 ") == ""
    assert clean_name(None) == ""


def test_a_body_keeps_its_lines_and_direction_marks_but_not_control_characters():
    body = "سطر أول\r\nسطر \u200fثان\u200e\rسطر ثالث\x00\x1b[31m"
    assert clean_body(body) == "سطر أول\nسطر \u200fثان\u200e\nسطر ثالث[31m"


def test_a_body_is_nfc_and_trimmed():
    assert clean_body("  \u0627\u0654\n\n") == "\u0623"
