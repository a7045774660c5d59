"""Editing text inside a Word document's XML as Word itself would: as a tracked change (w:del of the
old runs, w:ins of the new text, author and date), or directly. Only the runs that hold the changed
characters are touched; they are split at the change's edges, each piece keeping its formatting.

Offsets are into the text of a list of pieces (element, text) as the reader sees them (readers/docx.py
text_pieces): w:t, w:tab, w:br… in reading order.
"""
from __future__ import annotations

import copy
from typing import Any, List, Optional, Sequence, Tuple

from .readers.docx import W
from .writers.package import timestamp

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
Piece = Tuple[Any, str]


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


class Changes:
    """Makes the w:ins/w:del of one editing session: ids after the document's own, one author and date."""

    def __init__(self, body: Any, author: str = "drafter", tracked: bool = True):
        ids = [int(e.get(_w("id"))) for e in body.iter(_w("ins"), _w("del")) if (e.get(_w("id")) or "").isdigit()]
        self.next_id = max(ids, default=0) + 1000
        self.author, self.tracked = author, tracked
        self.date = timestamp()

    def replace(self, pieces: Sequence[Piece], start: int, end: int, text: str) -> bool:
        """Replace the characters [start, end) of the pieces' text with text; False when they are not
        plain text runs (a field result, a text box) and nothing was changed."""
        chosen = within(pieces, start, end)
        if any(element.tag not in (_w("t"), _w("tab"), _w("br")) or _in_a_field(element) for element, _, _ in chosen):
            return False  # a field's result is the field's to rewrite (Word updates it), not ours
        if start == end:
            anchor = _insertion_point(pieces, start)
            if anchor is None:
                return False
            run, after = anchor
            self._insert(run, after, text)
            return True
        runs = [isolate(element, a, b) for element, a, b in chosen]
        if not runs:
            return False
        if self.tracked:
            last = runs[-1]
            holder = last.getparent()
            own = holder.tag == _w("ins") and holder.get(_w("author")) == self.author
            self._insert(holder if own else last, True, text, like=last)  # never an insertion inside one
            for run in runs:
                self._delete(run)
        else:
            _set_text(runs[0], text)
            for run in runs[1:]:
                run.getparent().remove(run)
        return True

    def _delete(self, run: Any) -> None:
        holder = run.getparent()
        if holder.tag == _w("ins") and holder.get(_w("author")) == self.author:
            holder.remove(run)  # our own insertion not yet accepted: withdrawn, not struck through
            if not len(holder):
                holder.getparent().remove(holder)
            return
        deletion = run.makeelement(_w("del"), self._attributes())
        run.addprevious(deletion)
        deletion.append(run)
        for t in run.findall(_w("t")):
            t.tag = _w("delText")

    def _insert(self, where: Any, after: bool, text: str, like: Optional[Any] = None) -> None:
        """Insert a run of text after (or before) ``where``: a run, or the w:ins holding one."""
        if not text:
            return
        model = like if like is not None else where
        run = model.makeelement(_w("r"), {})
        properties = model.find(_w("rPr"))
        if properties is not None:
            run.append(copy.deepcopy(properties))
        _append_text(run, text)
        node: Any = run
        if self.tracked:
            node = run.makeelement(_w("ins"), self._attributes())
            node.append(run)
        if after:
            where.addnext(node)
        else:
            where.addprevious(node)

    def _attributes(self) -> dict:
        self.next_id += 1
        return {_w("id"): str(self.next_id), _w("author"): self.author, _w("date"): self.date}


def within(pieces: Sequence[Piece], start: int, end: int) -> List[Tuple[Any, int, int]]:
    """(element, from, to) of each piece the range [start, end) covers, offsets within the piece."""
    found, at = [], 0
    for element, text in pieces:
        if at + len(text) > start and at < end and text:
            found.append((element, max(start, at) - at, min(end, at + len(text)) - at))
        at += len(text)
    return found


def _insertion_point(pieces: Sequence[Piece], offset: int) -> Optional[Tuple[Any, bool]]:
    """(run, after?) where text inserted at offset goes: after the piece that ends there, else before
    the piece that starts there (split when offset falls inside a w:t)."""
    at = 0
    for element, text in pieces:
        if at < offset < at + len(text) and element.tag == _w("t"):
            return isolate(element, 0, offset - at), True
        if at + len(text) == offset and text:
            return _run_of(element), True
        at += len(text)
    return (_run_of(pieces[0][0]), False) if pieces else None


def _run_of(element: Any) -> Any:
    return element.getparent() if element.getparent().tag == _w("r") else element


def isolate(element: Any, start: int, end: int) -> Any:
    """The run holding exactly element's characters [start, end): the run is split into one run per
    child, then the w:t's run into before, middle and after, each with the run's formatting."""
    run = element.getparent()
    content = [child for child in run if child.tag != _w("rPr")]
    if len(content) > 1:
        for child in content:
            if child is not element:
                single = _clone_without_content(run)
                single.append(child)  # moves it
                if content.index(child) < content.index(element):
                    run.addprevious(single)
                else:
                    run.addnext(single)
        # the runs after it were added in reverse: put them back in order
        _reorder_after(run, content[content.index(element) + 1:])
    if element.tag != _w("t"):
        return run
    text = element.text or ""
    if start == 0 and end == len(text):
        return run
    pieces = [(text[:start], False), (text[start:end], True), (text[end:], False)]
    middle = run
    for part, is_middle in reversed(pieces):
        if not part:
            continue
        clone = copy.deepcopy(run)
        clone_t = clone.find(_w("t"))
        clone_t.text = part
        clone_t.set(XML_SPACE, "preserve")
        run.addnext(clone)
        if is_middle:
            middle = clone
    run.getparent().remove(run)
    return middle


def _clone_without_content(run: Any) -> Any:
    clone = run.makeelement(_w("r"), dict(run.attrib))
    properties = run.find(_w("rPr"))
    if properties is not None:
        clone.append(copy.deepcopy(properties))
    return clone


def _reorder_after(run: Any, children: List[Any]) -> None:
    anchor = run
    for child in children:
        holder = child.getparent()
        anchor.addnext(holder)
        anchor = holder


def _set_text(run: Any, text: str) -> None:
    for child in [c for c in run if c.tag != _w("rPr")]:
        run.remove(child)
    _append_text(run, text)


def _append_text(run: Any, text: str) -> None:
    """Text as a run holds it: a line break is w:br and a tab w:tab, as the writer puts them (a
    title's balanced lines break inside its facts)."""
    for number, line in enumerate(text.split("\n")):
        if number:
            run.append(run.makeelement(_w("br"), {}))
        for index, piece in enumerate(line.split("\t")):
            if index:
                run.append(run.makeelement(_w("tab"), {}))
            if piece:
                t = run.makeelement(_w("t"), {XML_SPACE: "preserve"})
                t.text = piece
                run.append(t)


def _in_a_field(element: Any) -> bool:
    return any(ancestor.tag == _w("fldSimple") for ancestor in element.iterancestors())
