"""Any .docx read back as its paragraphs read in Word, from the package's XML.

python-docx's ``paragraph.text`` is not used: it drops tracked insertions and inline content
controls, so “覆盖<w:sdt>130</w:sdt>户” would read “覆盖户” and a check would report what is not
there. Here a paragraph's text is what Word shows with all changes accepted: insertions in,
deletions out, content controls, hyperlinks, smart tags and field results as their text, field
codes, comments and hidden text out, and Word's automatic numbering rendered into ``label``.

``ReadParagraph.position`` finds the paragraph again: it is the paragraph's 0-based index in
``body.iter(w:p)`` of word/document.xml — every ``w:p`` under ``w:body`` in document order, those
in tables, content controls and text boxes included, although text-box paragraphs are never
returned. Only paragraphs with text are returned, numbered from 1 (``number``) as a finding cites
them (第 n 段).
"""
from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from ..errors import DrafterError
from . import ReadDraft, ReadParagraph

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

MAX_PART = 256 * 1024 * 1024  # bytes of one unzipped part: a zip bomb stops here, a real document never gets near


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_VAL = _w("val")
_P, _R, _T, _TBL, _BODY = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("body")
_PPR, _RPR, _PSTYLE = _w("pPr"), _w("rPr"), _w("pStyle")
_FLDCHAR, _SYM = _w("fldChar"), _w("sym")
_ALTERNATE, _FALLBACK = f"{{{_MC}}}AlternateContent", f"{{{_MC}}}Fallback"
_MATH_T = f"{{{_MATH}}}t"
_CHARS = {_w("tab"): "\t", _w("ptab"): "\t", _w("br"): "\n", _w("cr"): "\n", _w("noBreakHyphen"): "-"}
# Never text as Word shows it: properties, deletions, field codes, ruby guides, and drawings
# (text boxes are paragraphs of their own, not of the paragraph that anchors them).
_SKIP = {_w(name) for name in ("pPr", "rPr", "sdtPr", "sdtEndPr", "customXmlPr", "smartTagPr", "del", "moveFrom",
                               "delText", "instrText", "delInstrText", "fldData", "rt", "drawing", "pict",
                               "object", "p", "footnoteReference", "endnoteReference", "commentReference")}
# A w:p under one of these is a text box's, not the body's.
_OUTSIDE_BODY = {_w("txbxContent"), _w("drawing"), _w("pict"), _w("object"), _ALTERNATE}
_OFF = {"0", "false", "off"}


class Opened(NamedTuple):
    """A package parsed for reading, and for the 核稿 copies that write into its document part."""

    package: "_Package"
    document: Any  # word/document.xml's root element
    body: Any
    styles: "_Styles"
    numbering: "_Numbering"


def open_docx(data: bytes, name: str = "文稿") -> Opened:
    """Raises DrafterError, in Chinese, for anything that is not a readable Word document."""
    from lxml import etree  # lazily: the CLI's start-up does not pay for lxml

    parts = _Package(data, name, etree)
    document = parts.xml("word/document.xml", required=True)
    body = document.find(_BODY)
    if document.tag != _w("document") or body is None:
        if document.tag.startswith(f"{{{_STRICT_W}}}"):
            raise DrafterError(f"读不了“{name}”：这是“严格 Open XML”格式，请在 Word 里另存为普通的 Word 文档（.docx）")
        raise DrafterError(f"读不了“{name}”：不是 Word 文档（.docx）")
    styles = _Styles(parts.xml(parts.related("styles", "word/styles.xml")),
                     _theme_fonts(parts.xml(parts.related("theme", "word/theme/theme1.xml"))))
    numbering = _Numbering(parts.xml(parts.related("numbering", "word/numbering.xml")), styles)
    return Opened(parts, document, body, styles, numbering)


def read_docx(data: bytes, *, name: str = "文稿") -> ReadDraft:
    """The draft in ``data`` (a .docx's bytes); ``name`` is what error messages call the file."""
    opened = open_docx(data, name)
    styles = opened.styles
    paragraphs: List[ReadParagraph] = []
    for position, p in enumerate(opened.body.iter(_P)):
        in_table = False
        for ancestor in p.iterancestors():
            if ancestor.tag in _OUTSIDE_BODY:
                break
            in_table = in_table or ancestor.tag == _TBL
        else:
            paragraph = _paragraph(p, position, len(paragraphs) + 1, in_table, styles, opened.numbering)
            if paragraph is not None:
                paragraphs.append(paragraph)
    return ReadDraft(paragraphs, body_font=styles.font(styles.default), body_size=_points(styles.size(styles.default)))


def text_pieces(opened: Opened, p) -> List[Tuple[Any, str]]:
    """A paragraph's text as (element, text) pieces in reading order — w:t, w:tab, w:br… — whose
    texts join to ReadParagraph.text: where an offset of the text is in the XML."""
    reading = _Text(opened.styles, opened.styles.known(_attr(p.find(_PPR), "pStyle")))
    reading.walk(p, hidden=False)
    return list(zip(reading.elements, reading.out))


class _Package:
    """The zip's parts, each parsed safely; every way a file can fail to be a .docx is a DrafterError."""

    def __init__(self, data: bytes, name: str, etree) -> None:
        self.name, self.etree = name, etree
        self.parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE2: a .doc, or a password-protected .docx
            raise DrafterError(f"读不了“{name}”：这是旧的 .doc 文件或加了密码的文档，请在 Word 里另存为没有密码的 .docx")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            raise DrafterError(f"读不了“{name}”：不是 Word 文档（.docx）") from None
        self.relations = self._relations()

    def xml(self, part: str, required: bool = False):
        """The part's root element, or None when the package has no such part."""
        try:
            info = self.zip.getinfo(part)
        except KeyError:
            if required:
                raise DrafterError(f"读不了“{self.name}”：不是 Word 文档（.docx），其中没有 {part}")
            return None
        if info.file_size > MAX_PART:
            raise DrafterError(f"读不了“{self.name}”：{part} 大得不像文稿（{info.file_size // 2**20} MB）")
        try:
            return self.etree.fromstring(self.zip.read(info), self.parser)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError, ValueError):
            raise DrafterError(f"读不了“{self.name}”：文件已损坏，{part} 解不开") from None
        except self.etree.XMLSyntaxError as error:
            raise DrafterError(f"读不了“{self.name}”：文件已损坏，{part} 不是完好的 XML（{error}）") from None

    def _relations(self) -> Dict[str, str]:
        """The document's related parts by relationship type (styles, numbering, theme)."""
        root = self.xml("word/_rels/document.xml.rels")
        found: Dict[str, str] = {}
        for relation in root.iter(f"{{{_REL}}}Relationship") if root is not None else ():
            kind, target = relation.get("Type", ""), relation.get("Target", "")
            if kind.startswith(_REL_TYPES) and target and relation.get("TargetMode") != "External":
                path = target.lstrip("/") if target.startswith("/") else posixpath.join("word", target)
                found.setdefault(kind[len(_REL_TYPES):], posixpath.normpath(path))
        return found

    def related(self, kind: str, usual: str) -> str:
        return self.relations.get(kind, usual)


def _attr(element, path: str) -> Optional[str]:
    """w:val of the element at ``path`` (w: names, '/'-separated) under element, or None."""
    found = element.find(_clark(path)) if element is not None else None
    return found.get(_VAL) if found is not None else None


@functools.lru_cache(maxsize=None)
def _clark(path: str) -> str:
    return "/".join(_w(step) for step in path.split("/"))


def _on(element) -> bool:
    return element is not None and element.get(_VAL, "1").lower() not in _OFF


def _theme_fonts(theme) -> Dict[str, str]:
    """The theme's East Asian faces by the name a style refers to them with (minorEastAsia…)."""
    fonts: Dict[str, str] = {}
    for scheme, key in (("majorFont", "majorEastAsia"), ("minorFont", "minorEastAsia")):
        found = theme.find(f".//{{{_DRAWING}}}{scheme}") if theme is not None else None
        if found is None:
            continue
        east_asian = found.find(f"{{{_DRAWING}}}ea")
        hans = found.find(f"{{{_DRAWING}}}font[@script='Hans']")
        face = (east_asian.get("typeface") if east_asian is not None else "") or (
            hans.get("typeface") if hans is not None else "")
        if face:
            fonts[key] = face
    return fonts


class _Style:
    __slots__ = ("name", "based_on", "ppr", "rpr")

    def __init__(self, element) -> None:
        self.name = _attr(element, "name")
        self.based_on = _attr(element, "basedOn")
        self.ppr, self.rpr = element.find(_PPR), element.find(_RPR)


class _Styles:
    """Paragraph styles with their basedOn chains, docDefaults at the chain's end."""

    def __init__(self, root, theme: Dict[str, str]) -> None:
        self.theme = theme
        self.paragraph: Dict[str, _Style] = {}
        self.numbering: Dict[str, Optional[str]] = {}  # numbering style → its numId (w:numStyleLink)
        self.default: Optional[str] = None
        self.defaults_rpr = None
        self.resolved: Dict[Tuple[str, Optional[str]], Optional[str]] = {}  # (what, style) → value, once per style
        if root is None:
            return
        self.defaults_rpr = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_RPR}")
        for element in root.iter(_w("style")):
            kind, style_id = element.get(_w("type"), "paragraph"), element.get(_w("styleId"))
            if style_id is None:
                continue
            if kind == "numbering":
                self.numbering[style_id] = _attr(element, "pPr/numPr/numId")
            elif kind == "paragraph":
                self.paragraph.setdefault(style_id, _Style(element))
                if self.default is None and element.get(_w("default"), "0").lower() in ("1", "true", "on"):
                    self.default = style_id
        if self.default is None and "Normal" in self.paragraph:
            self.default = "Normal"

    def known(self, style_id: Optional[str]) -> Optional[str]:
        """The style Word applies: an unknown or missing pStyle is the default paragraph style."""
        return style_id if style_id in self.paragraph else self.default

    def chain(self, style_id: Optional[str]):
        """The style, then what it is based on, each once."""
        seen = set()
        while style_id in self.paragraph and style_id not in seen:
            seen.add(style_id)
            style = self.paragraph[style_id]
            yield style
            style_id = style.based_on

    def ppr(self, style_id: Optional[str], path: str) -> Optional[str]:
        key = (path, style_id)
        if key not in self.resolved:
            self.resolved[key] = next((v for v in (_attr(s.ppr, path) for s in self.chain(style_id))
                                       if v is not None), None)
        return self.resolved[key]

    def font(self, style_id: Optional[str]) -> Optional[str]:
        """The East Asian face the style gives, through its chain and docDefaults."""
        return self.inherited("font", style_id, self.east_asian)

    def size(self, style_id: Optional[str]) -> Optional[str]:
        """The style's size in half-points, as written."""
        return self.inherited("size", style_id, lambda rpr: _attr(rpr, "sz"))

    def inherited(self, what: str, style_id: Optional[str], read) -> Optional[str]:
        key = (what, style_id)
        if key not in self.resolved:
            rprs = [s.rpr for s in self.chain(style_id)] + [self.defaults_rpr]
            self.resolved[key] = next((v for v in map(read, rprs) if v is not None), None)
        return self.resolved[key]

    def east_asian(self, rpr) -> Optional[str]:
        fonts = rpr.find(_w("rFonts")) if rpr is not None else None
        if fonts is None:
            return None
        theme = fonts.get(_w("eastAsiaTheme"))
        return self.theme.get(theme, theme) if theme else fonts.get(_w("eastAsia"))


def _points(half_points: Optional[str]) -> Optional[float]:
    try:
        return int(half_points) / 2 if half_points is not None else None
    except ValueError:
        return None


class _Level:
    __slots__ = ("start", "format", "text", "restart", "legal", "style")

    def __init__(self, element) -> None:
        self.start = _int(_attr(element, "start"), 0)
        self.format = _attr(element, "numFmt")
        if self.format is None:  # Word 2010+ puts a custom format in mc:Choice, a plain one in mc:Fallback
            fallback = element.find(f"{_ALTERNATE}/{_FALLBACK}/{_w('numFmt')}")
            self.format = fallback.get(_VAL) if fallback is not None else "decimal"
        self.text = _attr(element, "lvlText") or ""
        self.restart = _int(_attr(element, "lvlRestart"), None)
        self.legal = _on(element.find(_w("isLgl")))
        self.style = _attr(element, "pStyle")


def _int(value: Optional[str], default):
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class _Numbering:
    """numbering.xml, and the counters Word keeps while it numbers the paragraphs in order.

    A list is one abstractNum: several w:num pointing at it continue one another, unless a num
    restarts it (w:startOverride), which makes that num a list of its own."""

    def __init__(self, root, styles: _Styles) -> None:
        self.styles = styles
        self.abstract: Dict[str, Tuple[Dict[int, _Level], Optional[str]]] = {}
        self.nums: Dict[str, Tuple[str, Dict[int, int], Dict[int, _Level]]] = {}
        self.counters: Dict[Tuple[str, str], List[Optional[int]]] = {}
        if root is None:
            return
        for element in root.iter(_w("abstractNum")):
            levels = {_int(lvl.get(_w("ilvl")), 0): _Level(lvl) for lvl in element.iter(_w("lvl"))}
            self.abstract[element.get(_w("abstractNumId"), "")] = (levels, _attr(element, "numStyleLink"))
        for element in root.iter(_w("num")):
            starts: Dict[int, int] = {}
            levels = {}
            for override in element.iter(_w("lvlOverride")):
                ilvl = _int(override.get(_w("ilvl")), 0)
                start = _attr(override, "startOverride")
                if start is not None:
                    starts[ilvl] = _int(start, 0)
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    levels[ilvl] = _Level(lvl)
            self.nums[element.get(_w("numId"), "")] = (_attr(element, "abstractNumId") or "", starts, levels)

    def levels(self, num_id: str) -> Dict[int, _Level]:
        """The num's levels: its abstractNum's (through a numStyleLink), with its own overrides."""
        abstract_id, _, overrides = self.nums[num_id]
        levels, link = self.abstract.get(abstract_id, ({}, None))
        if link is not None and not levels:
            linked = self.styles.numbering.get(link)
            if linked in self.nums and linked != num_id:
                levels, _ = self.abstract.get(self.nums[linked][0], ({}, None))
        return {**levels, **overrides}

    def label(self, ppr, style_id: Optional[str]) -> str:
        """The number Word shows for a paragraph with these properties and style, counted."""
        num_id = _attr(ppr, "numPr/numId") or self.styles.ppr(style_id, "numPr/numId")
        ilvl = _attr(ppr, "numPr/ilvl") or self.styles.ppr(style_id, "numPr/ilvl")
        if num_id is None or num_id == "0" or num_id not in self.nums:  # numId 0 takes a style's numbering off
            return ""
        levels = self.levels(num_id)
        if ilvl is None:  # a style linked to a level (w:lvl/w:pStyle) is numbered at that level
            ilvl = next((str(i) for i, level in levels.items() if level.style == style_id), "0")
        depth = _int(ilvl, 0)
        level = levels.get(depth)
        if level is None or not 0 <= depth <= 8:
            return ""
        abstract_id, starts, _ = self.nums[num_id]
        key = ("num", num_id) if starts else ("list", abstract_id)
        counts = self.counters.setdefault(key, [None] * 9)

        def start(i: int) -> int:
            return starts.get(i, levels[i].start if i in levels else 0)

        counts[depth] = start(depth) if counts[depth] is None else counts[depth] + 1
        for deeper in range(depth + 1, 9):
            below = levels.get(deeper)
            limit = below.restart if below is not None and below.restart is not None else deeper
            if depth < limit:  # w:lvlRestart n: levels 1…n (1-based) restart it, 0: nothing does
                counts[deeper] = None
        if level.format == "bullet":
            return "" if any(0xE000 <= ord(c) <= 0xF8FF for c in level.text) else level.text  # a symbol font's glyph

        def number(match) -> str:
            i = int(match.group(1)) - 1
            value = counts[i] if counts[i] is not None else start(i)
            fmt = "decimal" if level.legal else (levels[i].format if i in levels else "decimal")
            return format_number(value, fmt)

        return re.sub(r"%([1-9])", number, level.text)


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_CHINESE = ("零一二三四五六七八九", "十百千")
_DIGITS = "〇一二三四五六七八九"  # ideographDigital: digit by digit, 2024 → 二〇二四
_LEGAL = ("零壹贰叁肆伍陆柒捌玖", "拾佰仟")
_ENCLOSED = {"decimalEnclosedCircle": 0x2460, "decimalEnclosedCircleChinese": 0x2460,
             "decimalEnclosedParen": 0x2474, "decimalEnclosedFullstop": 0x2488}
_CYCLES = {"ideographTraditional": "甲乙丙丁戊己庚辛壬癸", "ideographZodiac": "子丑寅卯辰巳午未申酉戌亥"}


def format_number(value: int, fmt: str) -> str:
    """``value`` in a w:numFmt; formats Word has but this does not know read as decimal."""
    if fmt == "none":
        return ""
    if value <= 0 and fmt != "decimal":
        return str(value)
    if fmt in ("lowerLetter", "upperLetter"):
        letters = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman") and value < 4000:
        roman = ""
        for amount, numeral in _ROMAN:
            count, value = divmod(value, amount)
            roman += numeral * count
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "chineseLegalSimplified") and value < 10**8:  # LibreOffice: 一, 二, 三
        digits, units = _LEGAL if fmt == "chineseLegalSimplified" else _CHINESE
        text = _chinese(value, digits, units)
        return text[1:] if digits is _CHINESE[0] and text.startswith("一十") else text
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join(_DIGITS[int(d)] for d in str(value))
    if fmt in _ENCLOSED and value <= 20:
        return chr(_ENCLOSED[fmt] + value - 1)
    if fmt in _CYCLES and value <= len(_CYCLES[fmt]):
        return _CYCLES[fmt][value - 1]
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt == "decimalZero" and value < 10:
        return f"0{value}"
    return str(value)


def _chinese(value: int, digits: str, units: str) -> str:
    """1 ≤ value < 10⁸ in Chinese numerals, 10 as 一十 (counting formats then drop the 一)."""
    def below_10000(number: int) -> str:
        text, zero = "", False
        for place in (3, 2, 1, 0):
            digit = number // 10**place % 10
            if digit == 0:
                zero = bool(text)
            else:
                text += (digits[0] if zero else "") + digits[digit] + (units[place - 1] if place else "")
                zero = False
        return text

    high, low = divmod(value, 10_000)
    if not high:
        return below_10000(low)
    return below_10000(high) + "万" + ((digits[0] if low < 1000 else "") + below_10000(low) if low else "")


def _paragraph(p, position: int, number: int, in_table: bool, styles: _Styles,
               numbering: _Numbering) -> Optional[ReadParagraph]:
    """The paragraph as Word shows it, or None when it shows nothing."""
    ppr = p.find(_PPR)
    style_id = styles.known(_attr(ppr, "pStyle"))
    label = numbering.label(ppr, style_id)
    reading = _Text(styles, style_id)
    reading.walk(p, hidden=False)
    text = "".join(reading.out)
    if not (label + text).strip():
        return None
    return ReadParagraph(number=number, position=position, text=text, label=label, style_id=style_id,
                         style_name=styles.paragraph[style_id].name if style_id in styles.paragraph else None,
                         heading_level=_heading_level(ppr, style_id, styles), in_table=in_table,
                         alignment=_attr(ppr, "jc") or styles.ppr(style_id, "jc"), direct=reading.direct)


def _heading_level(ppr, style_id: Optional[str], styles: _Styles) -> Optional[int]:
    """1-based outline level: the paragraph's own, its style chain's, or a “heading N” style's."""
    level = _attr(ppr, "outlineLvl")
    if level is None:
        level = styles.ppr(style_id, "outlineLvl")
    if level is None:
        style = styles.paragraph.get(style_id) if style_id else None
        found = re.fullmatch(r"heading ([1-9])", (style.name or "").strip().lower()) if style else None
        return int(found.group(1)) if found else None
    return _int(level, 9) + 1 if 0 <= _int(level, 9) <= 8 else None  # 9 is body text


class _Text:
    """One paragraph's text, and the formatting its runs type over its style.

    Complex fields (w:fldChar) show only their result: a stack holds, per open field, whether its
    result has begun. The stack is the paragraph's own: a field's code never spans paragraphs in
    practice, and a result that does (a table of contents) reads as text either way."""

    def __init__(self, styles: _Styles, style_id: Optional[str]) -> None:
        self.styles = styles
        self.out: List[str] = []
        self.elements: List = []  # the element each piece of out came from: where a span is found again
        self.fields: List[bool] = []
        self.direct: Dict[str, str] = {}
        self.style_font, self.style_size = styles.font(style_id), styles.size(style_id)

    def walk(self, element, hidden: bool) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _R:
                before = len(self.out)
                rpr = child.find(_RPR)
                self.walk(child, hidden or _on(rpr.find(_w("vanish")) if rpr is not None else None))
                if rpr is not None and "".join(self.out[before:]).strip():
                    self.note_direct(rpr)
            elif tag == _FLDCHAR:
                kind = child.get(_w("fldCharType"))
                if kind == "begin":
                    self.fields.append(False)
                elif kind == "separate" and self.fields:
                    self.fields[-1] = True
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif hidden or not all(self.fields):
                continue
            elif tag == _T or tag == _MATH_T:
                self._add(child, child.text or "")
            elif tag in _CHARS:
                self._add(child, _CHARS[tag])
            elif tag == _SYM:
                code = _int_hex(child.get(_w("char")))
                if code is not None and not 0xF000 <= code <= 0xF0FF:  # F0xx: a glyph of a symbol font
                    self._add(child, chr(code))
            elif tag == _ALTERNATE:
                fallback = child.find(_FALLBACK)
                if fallback is not None:
                    self.walk(fallback, hidden)
            else:  # ins, moveTo, hyperlink, smartTag, customXml, sdt/sdtContent, fldSimple, ruby, math…
                self.walk(child, hidden)

    def _add(self, element, text: str) -> None:
        self.out.append(text)
        self.elements.append(element)

    def note_direct(self, rpr) -> None:
        """The first face and size a run with text types over what its paragraph style gives."""
        if "font" not in self.direct:
            face = self.styles.east_asian(rpr)
            if face is not None and face != self.style_font:
                self.direct["font"] = face
        if "size" not in self.direct:
            size = _attr(rpr, "sz")
            if size is not None and size != self.style_size:
                points = _points(size)
                if points is not None:
                    self.direct["size"] = f"{points:g}"


def _int_hex(value: Optional[str]) -> Optional[int]:
    try:
        return int(value, 16) if value else None
    except ValueError:
        return None
