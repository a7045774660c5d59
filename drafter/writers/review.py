"""The 核稿 copy of a draft: a Word comment by “drafter” on every figure, date and name, giving the
field it came from and the sheet's file and line, so a reviewer checks each against its source in
the review pane of Word or WPS instead of hunting through the sheet.

The comments are written into the package as the body is: the comment ranges inline, one
word/comments.xml part, its relationship and content type.
"""
from __future__ import annotations

import re
from typing import Callable, List

from ..document import Fact, Inline
from .package import COMMENTS_PART, COMMENTS_TYPE, Part, timestamp, with_part
from .styles import quoteattr, xml_text

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
AUTHOR, INITIALS = "drafter", "D"

#: What a reviewer checks in a fact: figures (4.57亿元, 12.5%), dates (2024年12月17日) and years.
FIGURE = re.compile(r"\d+(?:\.\d+)?(?:年\d{1,2}月(?:\d{1,2}日)?|月\d{1,2}日|年|%|[万亿]?[余多]?"
                    r"(?:人次|场次|万元|亿元|[个次名家份人户场项篇条件对类期批所处座套台辆本册亩吨天倍位元])?)")
#: The keys of a sheet's people (as written, Chinese or the schema's English): a name or a title.
PERSON_KEYS = ("姓名", "name", "职务")


class Review:
    """Collects the comments while the body is written; ``note`` goes on the title (a speech's
    length estimate)."""

    def __init__(self, note: str = ""):
        self.note = note
        self.date = timestamp()
        self.texts: List[str] = []

    def comments_on(self, inline: Inline) -> bool:
        if type(inline) is not Fact:
            return False
        return bool(FIGURE.search(inline.text)) or (bool(inline.source.key) and inline.source.key[-1] in PERSON_KEYS)

    def fact_runs(self, fact: Fact, props: str, run: Callable[[str, str], str]) -> str:
        """The fact's runs: each figure in it commented on its own, or the whole fact when it is a
        name or a title."""
        where = _where(fact)
        spans = [m.span() for m in FIGURE.finditer(fact.text)]
        if not spans:
            return self._commented(run(props, fact.text), where)
        out, at = [], 0
        for start, end in spans:
            if start > at:
                out.append(run(props, fact.text[at:start]))
            out.append(self._commented(run(props, fact.text[start:end]), where))
            at = end
        if at < len(fact.text):
            out.append(run(props, fact.text[at:]))
        return "".join(out)

    def title_runs(self, runs: str) -> str:
        """The note (a speech's length estimate) on the whole title; its facts have their own."""
        return self._commented(runs, self.note) if self.note else runs

    def _commented(self, runs: str, text: str) -> str:
        number = len(self.texts)
        self.texts.append(text)
        return (f'<w:commentRangeStart w:id="{number}"/>{runs}<w:commentRangeEnd w:id="{number}"/>'
                f'<w:r><w:commentReference w:id="{number}"/></w:r>')

    def package(self, parts: List[Part]) -> List[Part]:
        """The parts with the comments part added, and named in the relationships and content types."""
        if not self.texts:
            return parts
        return with_part(parts, Part(COMMENTS_PART, self._comments_xml()), COMMENTS_TYPE,
                         ("rIdDrafterComments", "comments", "comments.xml"))

    def _comments_xml(self) -> bytes:
        comments = "".join(
            f'<w:comment w:id="{number}" w:author={quoteattr(AUTHOR)} w:date="{self.date}" w:initials="{INITIALS}">'
            + "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{xml_text(line)}</w:t></w:r></w:p>"
                      for line in text.split("\n"))
            + "</w:comment>"
            for number, text in enumerate(self.texts))
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:comments xmlns:w="{_W}">{comments}</w:comments>').encode("utf-8")


def _where(fact: Fact) -> str:
    source = fact.source
    place = f"{source.file}:{source.line}" if source.line else source.file
    return f"事实表 {place}，{source.path}"
