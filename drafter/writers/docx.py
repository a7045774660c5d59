"""Document → .docx, written as text into the package its layout profile laid out (styles.py).

Paragraphs name their styles and nothing else (a 落款's computed indent aside), so staff restyle the
whole draft from Word's style pane. A draft is a body of paragraph XML and a core-properties part put
into the laid-out package's parts, zipped with the parts that never change already compressed: no
XML library runs per draft, and none is imported while the laid-out package is in drafter's cache.
"""
from __future__ import annotations

import dataclasses
import functools
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence

from .. import cache
from ..document import (
    Block,
    Document,
    Fact,
    Heading,
    Inline,
    Lead,
    Placeholder,
    Text,
    plain_text,
)
from ..layout import Layout
from ..measure import set_width
from .package import Part, read_parts, timestamp, zip_parts
from .record import Record, recorded, with_record
from .review import Review
from .styles import lay_out, quoteattr, style_id, xml_text

DOCUMENT, CORE = "word/document.xml", "docProps/core.xml"
ANCHOR_PREFIX = "_df"  # a fact's bookmark: hidden in Word (a leading _), _df0 … in document order


def render_docx(document: Document, layout: Layout, title: str = "", comment: str = "") -> bytes:
    return zip_parts(docx_parts(document, layout, title, comment))


def docx_parts(document: Document, layout: Layout, title: str = "", comment: str = "",
               review: Optional[Review] = None, record: Optional[Record] = None,
               values: Optional[Dict[tuple, str]] = None) -> List[Part]:
    """The draft's package as parts, for output.py to fingerprint and zip once; with a review, the
    核稿 copy: a Word comment on each fact it names; with a record, the facts it printed (record.py),
    ``values`` the sheet's value of each field."""
    laid_out = _laid_out(layout)
    anchors: List[Fact] = []
    body = laid_out.head + _body(document, layout, anchors, review) + laid_out.tail
    core = _core_properties(_property(title), _property(comment))
    parts = [Part(part.name, body.encode("utf-8")) if part.name == DOCUMENT
             else Part(part.name, core) if part.name == CORE else part for part in laid_out.parts]
    if record is not None:
        parts = with_record(parts, recorded(record, anchors, values or {}))
    return review.package(parts) if review is not None else parts


def _property(text: str) -> str:
    """Word's document properties hold 255 characters; the draft's own title is never shortened, only
    this copy of it in the file's metadata."""
    return text if len(text) <= 255 else text[:254] + "…"


def _core_properties(title: str, comment: str) -> bytes:
    now = timestamp()
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{xml_text(title)}</dc:title><dc:creator>drafter</dc:creator>'
            f'<cp:lastModifiedBy>drafter</cp:lastModifiedBy><cp:revision>1</cp:revision>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            f'<dc:description>{xml_text(comment)}</dc:description><dc:language>zh-CN</dc:language>'
            '</cp:coreProperties>').encode("utf-8")


class LaidOut(NamedTuple):
    parts: List[Part]  # every part of the laid-out package, in its order
    head: str  # word/document.xml up to and including <w:body>
    tail: str  # from the section properties to the end


@functools.lru_cache(maxsize=8)
def _laid_out(layout: Layout) -> LaidOut:
    """The laid-out package of a layout, read once per process: a batch lays out nothing twice.

    The package is the same for every draft in that layout, so it is kept in drafter's cache under
    the layout's content; an entry that is not a package laid out by this drafter is laid out afresh."""
    key = cache.digest(["docx-package", repr(layout)])  # drafter's own code names the cache folder
    package = cache.load("docx-package", key, lambda value: isinstance(value, bytes))
    found = _split(package) if package is not None else None
    if found is None:
        package = lay_out(layout)
        cache.store("docx-package", key, package)
        found = _split(package)
    return found


def _split(package: bytes) -> Optional[LaidOut]:
    try:
        parts = read_parts(package)
        text = next(p.data for p in parts if p.name == DOCUMENT).decode("utf-8")
    except Exception:
        return None
    body = text.find("<w:body>")
    section = text.find("<w:sectPr", body)
    if body < 0 or section < 0 or not any(p.name == CORE for p in parts):
        return None
    return LaidOut(parts, text[:body + len("<w:body>")], text[section:])


def _body(document: Document, layout: Layout, anchors: List[Fact], review: Optional[Review] = None) -> str:
    """Every paragraph's XML, in order: text, and flat however long the document."""
    signature_indents = _signature_indents(document, layout)
    closing_run = _closing_run(document.blocks, layout)
    parts: List[str] = []
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            parts.append(_paragraph(style_id(f"heading{block.level}"), _runs(block.inlines, anchors, review)))
            continue
        inlines = written_inlines(block, layout)
        runs = _runs(inlines, anchors, review)
        if block.role == "title" and review is not None:
            runs = review.title_runs(runs)
        properties = ""
        if _ends_the_text(document.blocks, index) or index in closing_run[:-1]:
            properties = "<w:keepNext/>"  # the 落款 never strands; the text's end goes to its page together
        if closing_run and index == closing_run[-1]:
            properties += "<w:keepLines/>"  # the last paragraph whole: no last page of a line or two
        if index in closing_run:
            properties += "<w:widowControl/>"  # Normal lets pages fill (no widow control); these don't split 1+n
        if index in signature_indents:  # a computed position no style can hold
            chars, size = signature_indents[index], layout.styles[block.role]["size"]
            properties += f'<w:ind w:rightChars="{round(chars * 100)}" w:right="{round(chars * size * 20)}"/>'
        parts.append(_paragraph(style_id(block.role) if block.role != "body" else None, runs, properties))
    return "".join(parts)


def written_inlines(block: Block, layout: Layout) -> List[Inline]:
    """A paragraph's inlines as the .docx holds them: a title's with its balanced line breaks ("\n",
    written as w:br) inside them, so a fact broken across two lines stays one fact."""
    inlines = block.inlines
    if getattr(block, "role", None) != "title" or any(isinstance(i, Placeholder) for i in inlines):
        return list(inlines)
    lines = layout.title_lines([inline.text for inline in inlines])
    breaks, at = [], 0
    for line in lines[:-1]:
        at += len(line)
        breaks.append(at)
    out: List[Inline] = []
    start = 0
    for inline in inlines:
        end = start + len(inline.text)
        if start in breaks:
            out.append(Text("\n"))  # between two stretches: the break belongs to neither
        text = inline.text
        for cut in reversed([b - start for b in breaks if start < b < end]):
            text = text[:cut] + "\n" + text[cut:]
        out.append(dataclasses.replace(inline, text=text) if text != inline.text else inline)
        start = end
    return out


def written_facts(document: Document, layout: Layout) -> List[Fact]:
    """The draft's facts in the order they are anchored (_df0, _df1 …), as the .docx holds them."""
    return [part for block in document.blocks for inline in written_inlines(block, layout)
            for part in (inline.inlines if type(inline) is Lead else (inline,)) if type(part) is Fact]


def _closing_run(blocks: List, layout: Layout) -> List[int]:
    """The last body paragraph, and the one before it when the last is short (under three lines by its
    set width): they go to the last page together, so it never holds only a line or two of text."""
    body = [i for i, b in enumerate(blocks) if getattr(b, "role", None) == "body"]
    if not body:
        return []
    last = body[-1]
    per_line = layout.text_width_pt / layout.styles["body"]["size"]
    lines = (set_width(plain_text(blocks[last].inlines)) + layout.styles["body"].get("first_line_chars", 0)) / per_line
    before = last - 1
    if lines < 3 and before >= 0 and getattr(blocks[before], "role", None) == "body":
        return [before, last]
    return [last]


def _ends_the_text(blocks: List, index: int) -> bool:
    """The last body paragraph before the 落款 (or a 成文日期 standing alone): kept with what follows,
    so 署名 and date never open a page of their own (with Word's widow control, two lines come along)."""
    after = blocks[index + 1] if index + 1 < len(blocks) else None
    return (getattr(blocks[index], "role", None) == "body"
            and getattr(after, "role", None) in ("signature", "signed-date"))


def _paragraph(style: Optional[str], runs: str, properties: str = "") -> str:
    """A paragraph names its style and nothing else (a 落款's computed indent and the keeping together
    of the text's end aside: properties, in the schema's order after pStyle)."""
    if not style and not properties:
        return f"<w:p>{runs}</w:p>"
    return f'<w:p><w:pPr>{f"<w:pStyle w:val={quoteattr(style)}/>" if style else ""}{properties}</w:pPr>{runs}</w:p>'


def _runs(inlines: Iterable[Inline], anchors: List[Fact], review: Optional[Review] = None) -> str:
    """One run per stretch of one character style, and one for each fact, held by a hidden bookmark
    (_df0, _df1 … in document order, listed in ``anchors``): a refresh finds the fact again after staff
    have edited around it, and a LibreOffice round trip keeps bookmarks. A run-in lead is its level's
    领句 style, a placeholder the highlighted 待补; a review copy comments on the facts' figures."""
    out: List[str] = []
    text: List[str] = []  # framing text of one style, not yet written
    style: Optional[str] = None
    for inline in inlines:
        if type(inline) is Lead:
            lead_style = style_id(f"run-in{inline.level}")
            parts: Sequence[Inline] = inline.inlines
        else:
            lead_style, parts = None, (inline,)
        for part in parts:
            kind = type(part)
            part_style = _PLACEHOLDER if kind is Placeholder else lead_style
            if kind is not Fact and part_style is not _PLACEHOLDER and (not text or part_style == style):
                text.append(part.text)
                style = part_style
                continue
            if text:
                out.append(_text_run(_properties(style), "".join(text)))
                text.clear()
            if kind is Fact:
                props = _properties(part_style)
                runs = (review.fact_runs(part, props, _text_run) if review is not None and review.comments_on(part)
                        else _text_run(props, part.text))
                number = len(anchors)
                anchors.append(part)
                out.append(f'<w:bookmarkStart w:id="{number}" w:name="{ANCHOR_PREFIX}{number}"/>{runs}'
                           f'<w:bookmarkEnd w:id="{number}"/>')
            elif part_style is _PLACEHOLDER:
                out.append(_text_run(_properties(_PLACEHOLDER), part.text))
            else:
                text.append(part.text)
                style = part_style
    if text:
        out.append(_text_run(_properties(style), "".join(text)))
    return "".join(out)


_PLACEHOLDER = style_id("placeholder")
_RUN_PROPERTIES: Dict[Optional[str], str] = {None: ""}


def _properties(style: Optional[str]) -> str:
    found = _RUN_PROPERTIES.get(style)
    if found is None:
        found = _RUN_PROPERTIES[style] = f"<w:rPr><w:rStyle w:val={quoteattr(style)}/></w:rPr>"
    return found


def _text_run(props: str, text: str) -> str:
    if "\n" not in text and "\t" not in text and len(text) < _TEXT_CHUNK:
        return f'<w:r>{props}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'  # nearly every run
    lines = "<w:br/>".join(_text_elements(line) for line in text.split("\n"))  # the title's balanced line breaks
    return f"<w:r>{props}{lines}</w:r>"


#: Characters of one w:t: lxml refuses a text node over 10 MB, and a sheet value may hold 2 million.
_TEXT_CHUNK = 1_000_000


def _text_elements(text: str) -> str:
    """w:t elements for one line of a run; a tab typed into a fact is Word's tab, <w:tab/>, not a raw
    U+0009 that Word may show as a space."""
    if "\t" in text:
        return "<w:tab/>".join(_text_elements(piece) if piece else "" for piece in text.split("\t"))
    return "".join(f'<w:t xml:space="preserve">{xml_text(text[start:start + _TEXT_CHUNK])}</w:t>'
                   for start in range(0, max(len(text), 1), _TEXT_CHUNK))


def _signature_indents(document: Document, layout: Layout) -> Dict[int, float]:
    """GB/T 9704 §7.3.5.2: 署名 右空二字, the date starting two characters right of it; a longer
    date takes the 右空二字 and pushes the 署名 left. Depends on the text, so it is set per paragraph."""
    indents: Dict[int, float] = {}
    blocks = document.blocks
    for index in range(len(blocks) - 1):
        signature, date = blocks[index], blocks[index + 1]
        if getattr(signature, "role", None) != "signature" or getattr(date, "role", None) != "signed-date":
            continue
        margin = layout.styles["signature"].get("right_chars", 2)
        offset = layout.styles["signed-date"].get("offset_chars", 2)  # the date starts this far right
        sig_width, date_width = set_width(plain_text(signature.inlines)), set_width(plain_text(date.inlines))
        date_indent = margin + sig_width - offset - date_width
        sig_indent = margin
        if date_indent < margin:
            date_indent = margin
            sig_indent = margin + date_width + offset - sig_width
        indents[index], indents[index + 1] = sig_indent, date_indent
    return indents
