"""How wide text sets, in character cells of its own size: what centring, indents and line breaks
are computed from."""
from __future__ import annotations


def text_width(text: str) -> float:
    """Width in character cells: Chinese and full-width characters 1, Latin letters and digits ½."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch not in "“”‘’—…·" else 1.0 for ch in text)


#: The space Word and LibreOffice put between a Chinese character and a digit or Latin letter next to it
#: (autoSpaceDE/DN, on by default): about 3.5 pt at 三号 (16 pt), measured on a render (audit-layout).
AUTOSPACE_CELLS = 0.22


def set_width(text: str) -> float:
    """Width in character cells as Word sets the text: text_width, plus the automatic space at each
    meeting of Chinese and Latin or digits (2024年12月25日 is 8.1 cells, not 7)."""
    meetings = sum(1 for a, b in zip(text, text[1:]) if _is_cjk(a) != _is_cjk(b) and (a.isascii() and a.isalnum()
                                                                                   or b.isascii() and b.isalnum()))
    return text_width(text) + meetings * AUTOSPACE_CELLS


def _is_cjk(char: str) -> bool:
    return ord(char) >= 0x2E80
