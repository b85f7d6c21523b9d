"""Convert between Western (0-9), Arabic-Indic (٠-٩) and Persian (۰-۹) digits."""

WESTERN = "0123456789"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"

_TO_ARABIC_INDIC = str.maketrans(WESTERN + PERSIAN, ARABIC_INDIC * 2)
_TO_WESTERN = str.maketrans(ARABIC_INDIC + PERSIAN, WESTERN * 2)


def to_arabic_indic(text: str) -> str:
    """Write every digit of `text` as an Arabic-Indic digit."""
    return text.translate(_TO_ARABIC_INDIC)


def to_western(text: str) -> str:
    """Write every digit of `text` as a Western (ASCII) digit."""
    return text.translate(_TO_WESTERN)
