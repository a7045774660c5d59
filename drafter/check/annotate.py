"""The copies `drafter check` writes: findings as Word comments by “drafter”, or the mechanical
fixes applied. Only word/document.xml (and the comments part) change; every other part keeps its
bytes, and the original file is never written.

A finding's span is found again through the reader's text pieces, so a span inside a tracked
insertion or a content control lands where Word shows it. A run that holds more than the span is
split at its edges, so the comment marks just what was found.
"""
from __future__ import annotations

import posixpath
from typing import Dict, List, Optional, Sequence, Tuple

from ..readers import ReadDraft, ReadParagraph
from ..readers.docx import Opened, W, open_docx, text_pieces
from ..tracked import Changes, isolate, within
from ..writers.package import (
    COMMENTS_PART,
    COMMENTS_TYPE,
    Part,
    read_parts,
    timestamp,
    with_part,
    zip_parts,
)
from .findings import GB9704, GB15834, GB15835, Finding

AUTHOR, INITIALS = "drafter", "D"
#: Fixes --fix applies: the standards' mechanical ones (punctuation, number and date forms, enumerator
#: punctuation); a figure the sheet contradicts is for the reviewer to decide.
MECHANICAL = (GB15834, GB15835, GB9704)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def with_comments(data: bytes, read: ReadDraft, findings: Sequence[Finding]) -> bytes:
    opened = open_docx(data)
    paragraphs = list(opened.body.iter(_w("p")))
    by_number = {p.number: p for p in read.paragraphs}
    comments = _Comments(opened)
    for finding in findings:
        paragraph = by_number.get(finding.paragraph) or (read.paragraphs[0] if read.paragraphs else None)
        if paragraph is None:
            continue
        element = paragraphs[paragraph.position]
        text = f"{finding.severity}〔{finding.source}〕{finding.message}"
        span = _text_span(paragraph, finding) if finding.paragraph else None
        comments.add(opened, element, span, text)
    return _package(data, opened, comments)


def with_fixes(data: bytes, read: ReadDraft, findings: Sequence[Finding]) -> Tuple[bytes, List[str]]:
    """The copy with each mechanical fix applied, and a line per change."""
    opened = open_docx(data)
    paragraphs = list(opened.body.iter(_w("p")))
    by_number = {p.number: p for p in read.paragraphs}
    changes: List[Tuple[int, int, str]] = []
    edits = Changes(opened.body, tracked=False)
    chosen = [f for f in findings if f.fix is not None and f.source in MECHANICAL and f.paragraph in by_number]
    # right to left within a paragraph, so the offsets of the fixes still to make stay true
    for finding in sorted(chosen, key=lambda f: (f.paragraph, -(f.start or 0))):
        paragraph = by_number[finding.paragraph]
        span = _text_span(paragraph, finding)
        if span is None or not edits.replace(text_pieces(opened, paragraphs[paragraph.position]), *span, finding.fix):
            continue
        old = paragraph.full_text[finding.start:finding.end]
        changes.append((finding.paragraph, finding.start or 0,
                        f"第{finding.paragraph}段：“{old}”→“{finding.fix}”（{finding.message}）"))
    return _package(data, opened, None), [line for _, _, line in sorted(changes)]


def _text_span(paragraph: ReadParagraph, finding: Finding) -> Optional[Tuple[int, int]]:
    """The finding's span in ReadParagraph.text (without the automatic number), None when it lies in
    the number or is not given."""
    if finding.start is None:
        return None
    start, end = finding.start - len(paragraph.label), (finding.end or finding.start) - len(paragraph.label)
    if start < 0:
        return None
    return start, max(end, start)


class _Comments:
    def __init__(self, opened: Opened):
        self.part = opened.package.related("comments", COMMENTS_PART)  # wherever the document's comments are
        self.root = opened.package.xml(self.part)
        self.new = self.root is None
        if self.root is None:
            from lxml import etree

            self.root = etree.Element(_w("comments"), nsmap={"w": W})
        ids = [int(c.get(_w("id"))) for c in self.root.iter(_w("comment")) if (c.get(_w("id")) or "").isdigit()]
        self.next_id = max(ids, default=-1) + 1
        self.date = timestamp()

    def add(self, opened: Opened, p, span: Optional[Tuple[int, int]], text: str) -> None:
        from lxml import etree

        number = str(self.next_id)
        self.next_id += 1
        comment = etree.SubElement(self.root, _w("comment"), {_w("id"): number, _w("author"): AUTHOR,
                                                               _w("date"): self.date, _w("initials"): INITIALS})
        run = etree.SubElement(etree.SubElement(comment, _w("p")), _w("r"))
        etree.SubElement(run, _w("t")).text = text
        first, last = _runs_of(opened, p, span)
        start = etree.Element(_w("commentRangeStart"), {_w("id"): number})
        end = etree.Element(_w("commentRangeEnd"), {_w("id"): number})
        reference = etree.Element(_w("r"))
        etree.SubElement(reference, _w("commentReference"), {_w("id"): number})
        if first is None:  # nothing to mark (an empty paragraph, a span in the number): the paragraph's end
            properties = p.find(_w("pPr"))
            p.insert(0 if properties is None else p.index(properties) + 1, start)
            p.append(end)
            p.append(reference)
            return
        first.addprevious(start)
        last.addnext(end)
        end.addnext(reference)


def _runs_of(opened: Opened, p, span: Optional[Tuple[int, int]]):
    """The first and last w:r of the span, split off their runs where the span begins or ends inside
    a single w:t; (None, None) when the span is not in the text."""
    if span is None:
        return None, None
    pieces = within(text_pieces(opened, p), span[0], max(span[1], span[0] + 1))
    if not pieces:
        return None, None
    first_element, start, _ = pieces[0]
    last_element, _, end = pieces[-1]
    first_run, last_run = first_element.getparent(), last_element.getparent()
    if first_run.tag != _w("r") or last_run.tag != _w("r"):
        return None, None
    if first_element is last_element:
        run = isolate(first_element, start, end)
        return run, run
    return isolate(first_element, start, len(first_element.text or "")), isolate(last_element, 0, end)


def _package(data: bytes, opened: Opened, comments: Optional[_Comments]) -> bytes:
    from lxml import etree

    document = etree.tostring(opened.document, xml_declaration=True, encoding="UTF-8", standalone=True)
    changed: Dict[str, bytes] = {"word/document.xml": document}
    if comments is not None and len(comments.root):
        changed[comments.part] = etree.tostring(comments.root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    parts = read_parts(data)
    names = {part.name for part in parts}
    out = [Part(part.name, changed.get(part.name, part.data)) for part in parts]
    if comments is not None and comments.part in changed and comments.part not in names:
        out = with_part(out, Part(comments.part, changed[comments.part]), COMMENTS_TYPE,
                        ("rIdDrafterCheck", "comments", posixpath.relpath(comments.part, "word")))
    return zip_parts(out)
