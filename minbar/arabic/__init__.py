"""Pure text functions for Arabic and Kurdish: no Django imports here."""

from .digits import to_arabic_indic, to_western
from .excerpt import excerpt

__all__ = ["excerpt", "to_arabic_indic", "to_western"]
