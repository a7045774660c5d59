"""Laying out a .docx package for a layout profile, once: styles, settings, page and footers.

All formatting lives in named styles (Word's 正文 = Normal for the body, built-in Heading 1–4 for
headings, Gw* styles with Chinese names for the rest), so staff restyle the draft from Word's style
pane. Style XML is written at python-docx's oxml layer in schema order, because the friendly API has
no East Asian fonts, character-unit indents, outline levels or fields. python-docx is imported only
here, and only when a profile is laid out that drafter's cache does not already hold: a draft itself
is written by docx.py as text into the laid-out package.
"""
from __future__ import annotations

import functools
import io
from typing import List, Optional

from ..layout import Layout
from .package import base_package

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEADING_IDS = {level: f"Heading{level}" for level in range(1, 5)}
ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}


@functools.lru_cache(maxsize=64)
def style_id(role: str) -> str:
    """ASCII style ids (WPS and some Word builds mishandle Chinese ids); Chinese display names."""
    if role == "body":
        return "Normal"
    if role.startswith("heading"):
        return HEADING_IDS[int(role[-1])]
    return "Gw" + "".join(part.capitalize() for part in role.split("-"))


def lay_out(layout: Layout) -> bytes:
    """The package every draft in this layout is written into: its body holds only the section."""
    from docx import Document as new_docx

    doc = new_docx(io.BytesIO(base_package()))
    _set_up_styles(doc, layout)
    _set_up_settings(doc, layout)
    _set_up_section(doc, layout)
    _set_up_font_table(doc, layout)
    doc.core_properties.language = "zh-CN"  # makes the core part: each draft writes its own
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _set_up_font_table(doc, layout: Layout) -> None:
    """word/fontTable.xml: every font the layout names, with the font Word and WPS should use where
    it is missing (仿宋_GB2312 → 仿宋 on most Windows 10/11 machines), its family and, for CJK
    fonts, the GB2312 character set, so a substitute is at least a Chinese font of the same kind."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    entries = []
    for name in _fonts_named(layout):
        known = layout.fonts.get(name, {})
        alt = f'<w:altName w:val={quoteattr(known["alt"])}/>' if known.get("alt") else ""
        chinese = any(ord(char) > 0x2E80 for char in name + known.get("alt", ""))
        entries.append(f'<w:font w:name={quoteattr(name)}>{alt}<w:charset w:val="{"86" if chinese else "00"}"/>'
                       f'<w:family w:val="{known.get("family", "auto")}"/><w:pitch w:val="variable"/></w:font>')
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {W_NS}>{"".join(entries)}</w:fonts>'
    part = Part(PackURI("/word/fontTable.xml"), CONTENT_TYPE.WML_FONT_TABLE, xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RELATIONSHIP_TYPE.FONT_TABLE)


def _fonts_named(layout: Layout) -> List[str]:
    """The fonts of every style and the page number, the body's first, each once."""
    names = [layout.styles["body"]["font"], layout.latin_font]
    names += [props.get("font") for props in layout.styles.values()]
    names += [props.get("font") for props in layout.characters.values()]
    names.append(layout.page_number.get("font") if layout.page_number.get("enabled") else None)
    return [name for name in dict.fromkeys(names) if name]


# ---------------------------------------------------------------- styles

def _set_up_styles(doc, layout: Layout) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

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


# A derived style states only what differs from 正文 (Normal), which it is based on: a staff writer who
# changes 正文's font, size or spacing in Word changes every paragraph and 领句 that looks like body text.

def _paragraph_style(role: str, layout: Layout) -> str:
    props = layout.styles[role]
    heading = role.startswith("heading")
    sid = style_id(role)
    body = None if role == "body" else layout.styles["body"]
    default = ' w:default="1"' if role == "body" else ' w:customStyle="1"' if not heading else ""
    name = quoteattr("Normal" if role == "body" else props["name"])  # Word shows Normal as 正文
    head = f'<w:style {W_NS} w:type="paragraph"{default} w:styleId="{sid}"><w:name w:val={name}/>'
    if role != "body":
        head += '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
    head += f'<w:uiPriority w:val="{9 if heading else 1}"/><w:qFormat/>'
    return head + _ppr(props, role, body) + _rpr(props, layout, body) + "</w:style>"


def _character_style(role: str, props: dict, layout: Layout) -> str:
    """A 领句 or 待补 run keeps its paragraph's font and size unless its level's font differs from 正文's."""
    return (f'<w:style {W_NS} w:type="character" w:customStyle="1" w:styleId="{style_id(role)}">'
            f'<w:name w:val={quoteattr(props["name"])}/><w:basedOn w:val="DefaultParagraphFont"/>'
            f'<w:uiPriority w:val="1"/><w:qFormat/>{_rpr(props, layout, layout.styles["body"])}</w:style>')


def _page_number_style(layout: Layout) -> str:
    number = layout.page_number
    return (f'<w:style {W_NS} w:type="paragraph" w:customStyle="1" w:styleId="GwPageNumber">'
            f'<w:name w:val={quoteattr(PAGE_NUMBER_NAME)}/>'
            f'<w:basedOn w:val="Normal"/><w:uiPriority w:val="1"/>'
            f'<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" '
            f'w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>'
            f'<w:rPr>{_fonts(number["font"], number["font"])}<w:spacing w:val="0"/>'
            f'<w:sz w:val="{_half_points(number["size"])}"/>'
            f'<w:szCs w:val="{_half_points(number["size"])}"/></w:rPr></w:style>')


#: Not "页码": Chinese Word shows its built-in "page number" style by that name.
PAGE_NUMBER_NAME = "公文页码"


def _ppr(props: dict, role: str, body: Optional[dict] = None) -> str:
    """Paragraph properties in CT_PPr schema order (Word rejects out-of-order XML): all of them for
    正文 (body None), only those that differ from it for a style based on it."""
    def differs(key: str, default=None) -> bool:
        return body is None or props.get(key, default) != body.get(key, default)

    parts: List[str] = []
    if props.get("keep_next") if body is None else differs("keep_next", False):
        value = "" if props.get("keep_next") else ' w:val="0"'
        parts.append(f"<w:keepNext{value}/><w:keepLines{value}/>")
    if role == "body":
        parts.append('<w:widowControl w:val="0"/>')  # every page fills its 22 lines
    if differs("snap_to_grid", True) and (body is not None or props.get("snap_to_grid") is False):
        parts.append(f'<w:snapToGrid w:val="{0 if props.get("snap_to_grid") is False else 1}"/>')
    spacing = [f'w:{attr}="{props.get(key, 0)}"' for attr, key in (("before", "space_before"), ("after", "space_after"))
               if differs(key, 0)]
    if differs("line"):
        spacing.append(f'w:line="{props["line"]}" w:lineRule="exact"')
    if spacing:
        parts.append(f'<w:spacing {" ".join(spacing)}/>')
    ind = []
    for key, attr in (("first_line_chars", "firstLine"), ("right_chars", "right")):
        pair = _indent(props, key, attr)
        if pair != _indent(body, key, attr) if body is not None else props.get(key) or attr == "firstLine":
            ind.append(pair)
    if ind:
        parts.append(f'<w:ind {" ".join(ind)}/>')
    if differs("align"):
        parts.append(f'<w:jc w:val="{ALIGN[props["align"]]}"/>')
    if role.startswith("heading"):
        parts.append(f'<w:outlineLvl w:val="{int(role[-1]) - 1}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>" if parts else ""


def _indent(props: dict, key: str, attr: str) -> str:
    """w:ind's character-unit attribute and its twips equivalent, for Word and for LibreOffice."""
    chars = props.get(key, 0)
    return f'w:{attr}Chars="{round(chars * 100)}" w:{attr}="{round(chars * props["size"] * 20)}"'


def _rpr(props: dict, layout: Layout, body: Optional[dict] = None) -> str:
    """Run properties in CT_RPr schema order: all of them for 正文 (body None), with all four font
    slots so nothing falls back to a theme; only those that differ from 正文 for a derived style."""
    def differs(key: str, default=None) -> bool:
        return key in props and (body is None or props.get(key, default) != body.get(key, default))

    parts: List[str] = []
    latin = props.get("latin_font", layout.latin_font)
    body_latin = body.get("latin_font", layout.latin_font) if body is not None else None
    if body is None:
        if "font" in props:
            parts.append(_fonts(props["font"], latin))
    else:
        slots = {"eastAsia": props["font"]} if differs("font") else {}
        if latin != body_latin:
            slots.update(ascii=latin, hAnsi=latin, cs=latin)
        if slots:
            parts.append(_some_fonts(slots))
    if differs("bold", False):
        value = "1" if props.get("bold") else "0"
        parts.append(f'<w:b w:val="{value}"/><w:bCs w:val="{value}"/>')
    if body is None and "size" in props:
        parts.append('<w:color w:val="000000"/>')  # GB/T 9704 §5.2.4: all text black
    if differs("char_spacing"):
        parts.append(f'<w:spacing w:val="{round(props["char_spacing"] * 20)}"/>')
    if differs("size"):
        half = _half_points(props["size"])
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    if "shading" in props:
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{props["shading"]}"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>" if parts else ""


def _some_fonts(slots: dict) -> str:
    order = ("ascii", "hAnsi", "eastAsia", "cs")
    attrs = "".join(f" w:{slot}={quoteattr(slots[slot])}" for slot in order if slot in slots)
    return f'<w:rFonts{attrs} w:hint="eastAsia"/>'


def _fonts(east_asian: str, latin: str) -> str:
    ea, la = quoteattr(east_asian), quoteattr(latin)
    return f'<w:rFonts w:ascii={la} w:hAnsi={la} w:eastAsia={ea} w:cs={la} w:hint="eastAsia"/>'


def xml_text(text: str) -> str:
    # Not xml.sax.saxutils: it imports urllib.request and the email package (~20 ms at start-up).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(value: str) -> str:
    return '"' + xml_text(value).replace('"', "&quot;") + '"'


def _half_points(size) -> int:
    return round(size * 2)


# ---------------------------------------------------------------- settings and page

def _set_up_settings(doc, layout: Layout) -> None:
    if layout.page_number.get("enabled"):
        doc.settings.odd_and_even_pages_header_footer = True


def _set_up_section(doc, layout: Layout) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
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
    from docx.oxml import parse_xml

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
    return f'<w:r><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'
