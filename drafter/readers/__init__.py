"""Readers: a .docx back into what drafter can check — the counterpart of the writers.

A read draft is a list of paragraphs as they read in Word: tracked insertions in, deletions out,
content controls, field results and hyperlinks as their text, and Word's automatic numbering as the
label it shows. Each keeps its place in the file, so a finding can be attached where it was found.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional


@dataclass(frozen=True)
class ReadParagraph:
    number: int  # 1-based among the paragraphs that hold text: what a finding calls 第 n 段
    position: int  # 0-based among all w:p of word/document.xml's body in document order (tables included)
    text: str  # as it reads, without the automatic number
    label: str = ""  # Word's automatic numbering as it shows (一、 （一） 1.), "" if none
    style_id: Optional[str] = None
    style_name: Optional[str] = None  # w:name as written: Normal, heading 1, 公文标题…
    heading_level: Optional[int] = None  # 1–9 from the style's or the paragraph's outline level; None for body text
    alignment: Optional[str] = None  # effective w:jc: center, right, both…
    direct: Dict[str, str] = field(default_factory=dict)  # formatting typed onto the text over its style: font, size
    in_table: bool = False

    @property
    def full_text(self) -> str:
        """The text with its automatic number, as a reader sees it."""
        return self.label + self.text


@dataclass(frozen=True)
class ReadDraft:
    paragraphs: List[ReadParagraph]
    body_font: Optional[str] = None  # the East Asian font of the Normal style (正文)
    body_size: Optional[float] = None  # points
