"""Articles published in parts: the part marker in a WordPress title, and the Organize Series plugin's data.

Arabic opinion sites number parts in the title: "عن المدينة والماء (ج1)",
"عن المدينة والماء ج2", "عن المدينة والماء - الجزء الثالث", "الحلقة الثانية:
…", Kurdish "بەشی دووەم", English "Part 2". Minbar keeps the part number in
the article (shown after the title in the reader's language), so the marker
is taken out of the title and the rest names the series.

A marker counts only at the end of a title (or at its start, followed by a
colon or dash), so "الجزء الأول من الخطة ينفذ اليوم" is a headline, not a part.
"""

import re
from dataclasses import dataclass

from minbar.arabic import normalize, to_western

# Ordinals as written after الجزء / الحلقة / القسم (masculine and feminine), and Sorani.
_ORDINALS = {
    "الاول": 1, "الاولي": 1, "الثاني": 2, "الثانيه": 2, "الثالث": 3, "الثالثه": 3, "الرابع": 4, "الرابعه": 4,
    "الخامس": 5, "الخامسه": 5, "السادس": 6, "السادسه": 6, "السابع": 7, "السابعه": 7, "الثامن": 8, "الثامنه": 8,
    "التاسع": 9, "التاسعه": 9, "العاشر": 10, "العاشره": 10,
    "يهكهم": 1, "دووهم": 2, "سييهم": 3, "چوارهم": 4, "پينجهم": 5, "شهشهم": 6, "حهوتهم": 7, "ههشتهم": 8, "نويهم": 9, "ديهيهم": 10,
}
_NUMBER = r"[0-9٠-٩۰-۹]{1,3}"
_ORDINAL = r"[^\s()\[\]\-–—:،,]+"
# ج1, ج 1, ج.1, الجزء 2, الجزء الثاني, الحلقة 3, الحلقة الثالثة, القسم الرابع, بەشی ٢, بەشی دووەم, Part 2, part two is not handled.
# A marker starts a word: "الحج 2" is not part 2 of "الح".
_MARKER = (
    rf"(?<![^\s(\[\-–—:،,|/])(?:ج\s*\.?\s*(?P<short>{_NUMBER})"
    rf"|(?:ال)?(?:جزء|حلقة|حلقه|قسم)\s+(?:(?P<number>{_NUMBER})|(?P<ordinal>{_ORDINAL}))"
    rf"|بەشی\s+(?:(?P<ku_number>{_NUMBER})|(?P<ku_ordinal>{_ORDINAL}))"
    rf"|[Pp]art\s+(?P<en_number>{_NUMBER}))"
)
_SEPARATOR = r"[\s\-–—:،,|/]*"
_END_PUNCTUATION = r"\s*[.!؟?]?\s*$"
# Each wrapping of a marker is its own pattern: one pattern cannot name the marker's groups twice.
_PATTERNS = [
    re.compile(rf"^(?P<base>.+?){_SEPARATOR}\(\s*{_MARKER}\s*\){_END_PUNCTUATION}"),
    re.compile(rf"^(?P<base>.+?){_SEPARATOR}\[\s*{_MARKER}\s*\]{_END_PUNCTUATION}"),
    re.compile(rf"^(?P<base>.+?){_SEPARATOR}{_MARKER}{_END_PUNCTUATION}"),
    re.compile(rf"^\s*\(\s*{_MARKER}\s*\)\s*[:\-–—|]\s*(?P<base>.+)$"),
    re.compile(rf"^\s*{_MARKER}\s*[:\-–—|]\s*(?P<base>.+)$"),
]


@dataclass(frozen=True)
class PartMarker:
    title: str  # the title without the marker
    part: int


def _number(match):
    groups = {name: value for name, value in match.groupdict().items() if value and name != "base"}
    for name, value in groups.items():
        if name.endswith("number") or name == "short":
            return int(to_western(value))
        if name.endswith("ordinal"):
            return _ORDINALS.get(normalize(value).replace(" ", ""))
    return None


def part_marker(title: str) -> PartMarker | None:
    """The title's part marker, or None when the title has none (or an ordinal past ten)."""
    title = " ".join(title.split())
    for pattern in _PATTERNS:
        match = pattern.match(title)
        if match is None:
            continue
        part = _number(match)
        base = match.group("base").strip(" -–—:،,|/")
        if part and 0 < part < 1000 and base:
            return PartMarker(title=base, part=part)
    return None


def series_key(title: str) -> str:
    """What two parts' titles have in common once spelling and punctuation are folded."""
    return " ".join(normalize(title).split())


def organize_series_part(raw) -> int | None:
    """The Organize Series plugin's `_series_part` meta as a part number, or None."""
    text = to_western(str(raw or "")).strip()
    return int(text) if text.isdigit() and 0 < int(text) < 1000 else None
