"""Document → .docx with python-docx, laid out by a Layout profile.

All formatting lives in named styles (Word's 正文 = Normal for the body, built-in Heading 1–4 for
headings, Gw* styles with Chinese names for the rest), so staff restyle the draft from Word's style
pane. Style and paragraph XML is written at python-docx's oxml layer in schema order, because the
friendly API has no East Asian fonts, character-unit indents, outline levels or fields.
"""
from __future__ import annotations

import datetime
import functools
import io
from typing import Dict, Iterable, List, Optional

from docx import Document as new_docx
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from .. import cache
from ..document import Document, Heading, Inline, Placeholder, Text, plain_text
from ..layout import Layout, text_width
from .package import base_package

W_NS = nsdecls("w")
HEADING_IDS = {level: f"Heading{level}" for level in range(1, 5)}
ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def style_id(role: str) -> str:
    """ASCII style ids (WPS and some Word builds mishandle Chinese ids); Chinese display names."""
    if role == "body":
        return "Normal"
    if role.startswith("heading"):
        return HEADING_IDS[int(role[-1])]
    return "Gw" + "".join(part.capitalize() for part in role.split("-"))


def render_docx(document: Document, layout: Layout, title: str = "", comment: str = "") -> bytes:
    doc = _document_for(layout)
    _write_body(doc, document, layout)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = _property(title), "drafter", "drafter"
    props.comments, props.language, props.revision = _property(comment), "zh-CN", 1
    props.created = props.modified = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _property(text: str) -> str:
    """Word's document properties hold 255 characters (python-docx refuses more); the draft's own
    title is never shortened, only this copy of it in the file's metadata."""
    return text if len(text) <= 255 else text[:254] + "…"


@functools.lru_cache(maxsize=8)
def _document_for(layout: Layout):
    """The laid-out package opened once per layout: each draft replaces its body and properties,
    so a batch does not parse the same styles, settings and footers again for every sheet.

    The package is the same for every draft in that layout, so it is kept in drafter's cache under
    the layout's content; an entry python-docx cannot open is laid out afresh."""
    import docx
    from lxml import etree

    key = cache.digest(["docx-package", getattr(docx, "__version__", ""), etree.__version__, repr(layout)])
    package = cache.load("docx-package", key, lambda value: isinstance(value, bytes))
    if package is not None:
        try:
            return new_docx(io.BytesIO(package))
        except Exception:
            pass
    package = _lay_out(layout)
    cache.store("docx-package", key, package)
    return new_docx(io.BytesIO(package))


def _lay_out(layout: Layout) -> bytes:
    doc = new_docx(io.BytesIO(base_package()))
    _set_up_styles(doc, layout)
    _set_up_settings(doc, layout)
    _set_up_section(doc, layout)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- styles

def _set_up_styles(doc, layout: Layout) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().replace(defaults, parse_xml(
        f'<w:docDefaults {W_NS}><w:rPrDefault>'
        f'<w:rPr>{_fonts(layout.styles["body"]["font"], layout.latin_font)}'
        f'<w:kern w:val="2"/><w:sz w:val="{_half_points(layout.styles["body"]["size"])}"/>'
        f'<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>'
        f'</w:rPrDefault><w:pPrDefault/></w:docDefaults>'))
    normal = styles.find(f'{qn("w:style")}[@{qn("w:styleId")}="Normal"]')
    normal.getparent().replace(normal, parse_xml(_paragraph_style("body", layout)))
    for role, props in layout.styles.items():
        if role != "body":
            styles.append(parse_xml(_paragraph_style(role, layout)))
    for role, props in layout.characters.items():
        styles.append(parse_xml(_character_style(role, props, layout)))
    if layout.page_number.get("enabled"):
        styles.append(parse_xml(_page_number_style(layout)))


def _paragraph_style(role: str, layout: Layout) -> str:
    props = layout.styles[role]
    heading = role.startswith("heading")
    sid = style_id(role)
    default = ' w:default="1"' if role == "body" else ""
    name = quoteattr("Normal" if role == "body" else props["name"])  # Word shows Normal as 正文
    head = f'<w:style {W_NS} w:type="paragraph"{default} w:styleId="{sid}"><w:name w:val={name}/>'
    if role != "body":
        head += '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
    head += f'<w:uiPriority w:val="{9 if heading else 1}"/><w:qFormat/>'
    return head + _ppr(props, role) + _rpr(props, layout) + "</w:style>"


def _character_style(role: str, props: dict, layout: Layout) -> str:
    return (f'<w:style {W_NS} w:type="character" w:styleId="{style_id(role)}">'
            f'<w:name w:val={quoteattr(props["name"])}/><w:basedOn w:val="DefaultParagraphFont"/>'
            f'<w:uiPriority w:val="1"/><w:qFormat/>{_rpr(props, layout)}</w:style>')


def _page_number_style(layout: Layout) -> str:
    number = layout.page_number
    return (f'<w:style {W_NS} w:type="paragraph" w:styleId="GwPageNumber"><w:name w:val="页码"/>'
            f'<w:basedOn w:val="Normal"/><w:uiPriority w:val="1"/>'
            f'<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" '
            f'w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>'
            f'<w:rPr>{_fonts(number["font"], number["font"])}<w:spacing w:val="0"/>'
            f'<w:sz w:val="{_half_points(number["size"])}"/>'
            f'<w:szCs w:val="{_half_points(number["size"])}"/></w:rPr></w:style>')


def _ppr(props: dict, role: str) -> str:
    """Paragraph properties in CT_PPr schema order (Word rejects out-of-order XML)."""
    parts: List[str] = []
    if props.get("keep_next"):
        parts.append("<w:keepNext/><w:keepLines/>")
    if role == "body":
        parts.append('<w:widowControl w:val="0"/>')  # every page fills its 22 lines
    if props.get("snap_to_grid") is False:
        parts.append('<w:snapToGrid w:val="0"/>')
    parts.append(f'<w:spacing w:before="{props.get("space_before", 0)}" '
                 f'w:after="{props.get("space_after", 0)}" w:line="{props["line"]}" w:lineRule="exact"/>')
    size_twips = props["size"] * 20
    indent = props.get("first_line_chars", 0)
    right = props.get("right_chars", 0)
    ind = f'<w:ind w:firstLineChars="{round(indent * 100)}" w:firstLine="{round(indent * size_twips)}"'
    if right:
        ind += f' w:rightChars="{round(right * 100)}" w:right="{round(right * size_twips)}"'
    parts.append(ind + "/>")
    parts.append(f'<w:jc w:val="{ALIGN[props["align"]]}"/>')
    if role.startswith("heading"):
        parts.append(f'<w:outlineLvl w:val="{int(role[-1]) - 1}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>"


def _rpr(props: dict, layout: Layout) -> str:
    """Run properties in CT_RPr schema order; all four font slots so nothing falls back to a theme."""
    parts: List[str] = []
    if "font" in props:
        parts.append(_fonts(props["font"], props.get("latin_font", layout.latin_font)))
    if "bold" in props:
        value = "1" if props["bold"] else "0"
        parts.append(f'<w:b w:val="{value}"/><w:bCs w:val="{value}"/>')
    if "size" in props:
        parts.append('<w:color w:val="000000"/>')  # GB/T 9704 §5.2.4: all text black
    if "char_spacing" in props:
        parts.append(f'<w:spacing w:val="{round(props["char_spacing"] * 20)}"/>')
    if "size" in props:
        half = _half_points(props["size"])
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    if "shading" in props:
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{props["shading"]}"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def _fonts(east_asian: str, latin: str) -> str:
    ea, la = quoteattr(east_asian), quoteattr(latin)
    return f'<w:rFonts w:ascii={la} w:hAnsi={la} w:eastAsia={ea} w:cs={la} w:hint="eastAsia"/>'


def _xml_text(text: str) -> str:
    # Not xml.sax.saxutils: it imports urllib.request and the email package (~20 ms at start-up).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(value: str) -> str:
    return '"' + _xml_text(value).replace('"', "&quot;") + '"'


def _half_points(size) -> int:
    return round(size * 2)


# ---------------------------------------------------------------- settings and page

def _set_up_settings(doc, layout: Layout) -> None:
    if layout.page_number.get("enabled"):
        doc.settings.odd_and_even_pages_header_footer = True


def _set_up_section(doc, layout: Layout) -> None:
    from docx.shared import Twips

    page = layout.page
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(page["width"]), Twips(page["height"])
    section.top_margin, section.bottom_margin = Twips(page["margin_top"]), Twips(page["margin_bottom"])
    section.left_margin, section.right_margin = Twips(page["margin_left"]), Twips(page["margin_right"])
    section.header_distance, section.footer_distance = Twips(page["header"]), Twips(page["footer"])
    section.gutter = Twips(0)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(page["line_pitch"]))
    if layout.page_number.get("enabled"):
        number = layout.page_number
        for footer, side in ((section.footer, number["odd"]), (section.even_page_footer, number["even"])):
            footer.is_linked_to_previous = False
            _write_page_number(footer._element, side, number)


def _write_page_number(footer, side: str, number: dict) -> None:
    for child in list(footer):
        footer.remove(child)
    before, _, after = number["format"].partition("{page}")
    indent = f'<w:ind w:{"right" if side == "right" else "left"}="{number["indent"]}"/>'
    runs = (_text_run(before) +
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>' + _text_run(after))
    footer.append(parse_xml(
        f'<w:p {W_NS}><w:pPr><w:pStyle w:val="GwPageNumber"/>{indent}'
        f'<w:jc w:val="{ALIGN[side]}"/></w:pPr>{runs}</w:p>'))


def _text_run(text: str) -> str:
    if not text:
        return ""
    return f'<w:r><w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r>'


# ---------------------------------------------------------------- body

def _write_body(doc, document: Document, layout: Layout) -> None:
    """All paragraphs as one XML string parsed once: cheaper per paragraph than building elements
    one by one, and flat however long the document (python-docx's add_paragraph rescans the body)."""
    body = doc.element.body
    sect_pr = body.find(qn("w:sectPr"))
    labels = layout.heading_labels(document)
    signature_indents = _signature_indents(document, layout)
    parts: List[str] = []
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            parts.append(_paragraph(style_id(f"heading{block.level}"), _runs(block.inlines, labels[index])))
            continue
        runs = _runs(block.lead.inlines, labels[index], style_id(f"run-in{block.lead.level}")) if block.lead else ""
        inlines = block.inlines
        if block.role == "title" and all(isinstance(i, Text) for i in inlines):
            inlines = [Text("\n".join(layout.title_lines(plain_text(inlines))))]
        indent = ""
        if index in signature_indents:  # a computed position no style can hold
            chars, size = signature_indents[index], layout.styles[block.role]["size"]
            indent = f'<w:ind w:rightChars="{round(chars * 100)}" w:right="{round(chars * size * 20)}"/>'
        parts.append(_paragraph(style_id(block.role) if block.role != "body" else None,
                                runs + _runs(inlines), indent))
    paragraphs = list(parse_xml(f'<w:body {W_NS}>{"".join(parts)}</w:body>'))
    body.clear()  # the previous draft's paragraphs, when the package is reused
    body.extend(paragraphs)
    body.append(sect_pr)  # the section's properties stay the body's last child


def _paragraph(style: Optional[str], runs: str, indent: str = "") -> str:
    """A paragraph names its style and nothing else (a 落款's computed indent aside)."""
    if not style and not indent:
        return f"<w:p>{runs}</w:p>"
    return f'<w:p><w:pPr>{f"<w:pStyle w:val={quoteattr(style)}/>" if style else ""}{indent}</w:pPr>{runs}</w:p>'


def _runs(inlines: Iterable[Inline], prefix: str = "", char_style: Optional[str] = None) -> str:
    pieces = ([(prefix, char_style)] if prefix else []) + [
        (i.text, style_id("placeholder") if isinstance(i, Placeholder) else char_style) for i in inlines]
    out = []
    for text, style in pieces:
        props = f"<w:rPr><w:rStyle w:val={quoteattr(style)}/></w:rPr>" if style else ""
        lines = "<w:br/>".join(f'<w:t xml:space="preserve">{_xml_text(line)}</w:t>'
                               for line in text.split("\n"))  # the title's balanced line breaks
        out.append(f"<w:r>{props}{lines}</w:r>")
    return "".join(out)


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
        sig_width, date_width = text_width(plain_text(signature.inlines)), text_width(plain_text(date.inlines))
        date_indent = margin + sig_width - offset - date_width
        sig_indent = margin
        if date_indent < margin:
            date_indent = margin
            sig_indent = margin + date_width + offset - sig_width
        indents[index], indents[index + 1] = sig_indent, date_indent
    return indents
