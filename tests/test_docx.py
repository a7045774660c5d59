"""The .docx writer, checked in the XML Word and WPS will read."""
import io
import zipfile

import docx
import pytest
from lxml import etree

from drafter.document import parse_outline
from drafter.form_scheme import read_scheme
from drafter.layout import load_layout
from drafter.templates import builtin_templates
from drafter.writers.docx import render_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
OUTLINE = """# 在全市统战工作会议上的汇报发言
区委统战部部长 林秀岚{.署名}
（2024年4月23日）{.日期}

尊敬的各位领导，同志们：{.称谓}

开篇正文，建立示范点29个。

## 总体情况

### 具体做法

#### 第三级

##### 第四级

## 第二部分

### 做法

## 做强基层，构建责任体系。{名称=领句段}
概述正文。会议在[会议地点]{.待补}召开。

汇报完毕，谢谢大家！{.结束语}
"""
# points and sub-points as headings too; the part named 领句段 a run-in lead without a number
FORM = {"点": "1. 标题", "小点": "（1） 标题", "领句段": {"部分": "无 领句"}}
# CT_PPr and CT_RPr child order from the OOXML schema (Word refuses out-of-order parts).
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange"]
RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
             "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
             "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]


@pytest.fixture(scope="module")
def layout():
    return load_layout("gbt9704", [builtin_templates() / "layouts"])


@pytest.fixture(scope="module")
def package(layout):
    scheme = read_scheme(FORM, lambda path: ("template.yaml", None, None))
    data = render_docx(parse_outline(OUTLINE, scheme=scheme), layout, title="测试")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    return data, parts


def xml(parts, name):
    return etree.fromstring(parts[name])


def attr(el, name):
    return el.get(f"{{{W}}}{name}")


def style(parts, style_id):
    found = xml(parts, "word/styles.xml").xpath(f"w:style[@w:styleId='{style_id}']", namespaces=NS)
    assert found, f"style {style_id} missing"
    return found[0]


def test_python_docx_reopens_it(package):
    reopened = docx.Document(io.BytesIO(package[0]))
    texts = [p.text for p in reopened.paragraphs]
    assert texts[0] == "在全市统战工作会议上的汇报发言"
    assert "汇报完毕，谢谢大家！" in texts


def test_a4_page_gbt9704_margins_and_line_grid(package):
    sect = xml(package[1], "word/document.xml").find(".//w:body/w:sectPr", NS)
    size, margins, grid = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS), sect.find("w:docGrid", NS)
    assert (attr(size, "w"), attr(size, "h")) == ("11906", "16838")
    assert {k: attr(margins, k) for k in ("top", "bottom", "left", "right", "footer")} == {
        "top": "2098", "bottom": "1984", "left": "1588", "right": "1474", "footer": "1418"}
    assert (attr(grid, "type"), attr(grid, "linePitch")) == ("lines", "579")


def test_chinese_language_not_japanese_fallback(package):
    settings = xml(package[1], "word/settings.xml")
    assert attr(settings.find("w:themeFontLang", NS), "eastAsia") == "zh-CN"
    styles = xml(package[1], "word/styles.xml")
    assert attr(styles.find("w:docDefaults//w:lang", NS), "eastAsia") == "zh-CN"
    for fonts in styles.iter(f"{{{W}}}rFonts"):
        assert not [k for k in fonts.attrib if "Theme" in k], "theme fonts fall back to MS Mincho"


def test_normal_and_the_defaults_name_all_four_font_slots(package):
    """正文 and the document defaults name every font slot; a derived style names only the slots whose font
    differs from 正文's (issue 14: styles cascade), so nothing falls back to a theme's face."""
    styles = xml(package[1], "word/styles.xml")
    for fonts in (styles.find("w:docDefaults//w:rFonts", NS), style(package[1], "Normal").find("w:rPr/w:rFonts", NS)):
        assert all(attr(fonts, slot) for slot in ("ascii", "hAnsi", "eastAsia", "cs"))
        assert attr(fonts, "hint") == "eastAsia"
    for st in styles.findall("w:style", NS):
        fonts = st.find("w:rPr/w:rFonts", NS)
        if fonts is not None:
            assert attr(fonts, "eastAsia") or attr(fonts, "ascii"), attr(st, "styleId")
            assert attr(fonts, "hint") == "eastAsia"


@pytest.mark.parametrize("level, font", [(1, "黑体"), (2, "楷体_GB2312"), (3, None), (4, None)])
def test_builtin_headings_restyled_and_keep_outline_level(package, level, font):
    """Headings 1–2 name their own 黑体 and 楷体; 3–4 are set in 正文's font (仿宋), and all in its size."""
    st = style(package[1], f"Heading{level}")
    assert attr(st.find("w:name", NS), "val") == f"heading {level}"
    assert attr(st.find("w:basedOn", NS), "val") == "Normal"
    assert attr(st.find("w:pPr/w:outlineLvl", NS), "val") == str(level - 1)
    fonts = st.find("w:rPr/w:rFonts", NS)
    assert (attr(fonts, "eastAsia") if fonts is not None else None) == font
    assert st.find("w:rPr/w:sz", NS) is None  # 正文's 三号
    bold = st.find("w:rPr/w:b", NS)
    assert bold is None or attr(bold, "val") == "0"
    assert st.find("w:pPr/w:keepNext", NS) is not None


def test_no_blue_and_no_title_style(package):
    styles = package[1]["word/styles.xml"].decode()
    for blue in ("365F91", "4F81BD", "17365D", "1F497D"):
        assert blue not in styles
    assert 'w:styleId="Title"' not in styles


def test_body_is_normal_style_two_char_indent_exact_lines(package):
    normal = style(package[1], "Normal")
    ind, spacing = normal.find("w:pPr/w:ind", NS), normal.find("w:pPr/w:spacing", NS)
    assert (attr(ind, "firstLineChars"), attr(ind, "firstLine")) == ("200", "640")
    assert (attr(spacing, "line"), attr(spacing, "lineRule")) == ("579", "exact")
    assert attr(normal.find("w:rPr/w:rFonts", NS), "eastAsia") == "仿宋_GB2312"
    assert attr(normal.find("w:rPr/w:sz", NS), "val") == "32"
    assert attr(normal.find("w:rPr/w:spacing", NS), "val") == "-6"  # 28 characters a line, with room for bookmarks
    assert attr(normal.find("w:pPr/w:widowControl", NS), "val") == "0"


def test_long_title_broken_into_balanced_lines():
    layout = load_layout("gbt9704", [builtin_templates() / "layouts"])
    data = render_docx(parse_outline("# 在全市基层统一战线工作现场推进会上的汇报发言\n"), layout)
    title = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find(".//w:p", NS)
    pieces = [("br" if el.tag.endswith("}br") else el.text) for el in title.iter(f"{{{W}}}t", f"{{{W}}}br")]
    assert pieces == ["在全市基层统一战线工作", "br", "现场推进会上的汇报发言"]


@pytest.mark.parametrize("signature, date, indents", [
    # the date is set 8.1 characters wide (digits half, and the automatic space at each of its five meetings
    # of 汉字 and digits): it starts two characters right of a 12-character 署名
    ("中共枫岭市青禾区委统战部", "2024年12月17日", ("200", "390")),
    # a 署名 of 7: the date takes 右空二字 and the 署名 moves left to start two characters before it
    ("青禾区委统战部", "2024年12月17日", ("510", "200")),
])
def test_signature_and_date_per_gbt9704_7_3_5_2(layout, signature, date, indents):
    outline = f"正文。\n\n{signature}{{.落款}}\n{date}{{.成文日期}}\n"
    data = render_docx(parse_outline(outline), layout)
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find("w:body", NS)
    paras = body.findall("w:p", NS)[1:3]
    assert [p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) for p in paras] == ["GwSignature", "GwSignedDate"]
    assert tuple(p.xpath("string(w:pPr/w:ind/@w:rightChars)", namespaces=NS) for p in paras) == indents


def test_body_paragraphs_carry_no_direct_formatting(package):
    """A style names the formatting; the only paragraph properties of their own keep the text's end
    together on its last page (the last body paragraph whole, widow control) — pagination, not looks."""
    body = xml(package[1], "word/document.xml").find("w:body", NS)
    kept = []
    for p in body.findall("w:p", NS):
        p_pr = p.find("w:pPr", NS)
        if p_pr is not None:
            tags = [c.tag.split("}")[1] for c in p_pr]
            assert tags == ["pStyle"] or set(tags) <= {"pStyle", "keepNext", "keepLines", "widowControl"}
            if "keepLines" in tags:
                kept.append(p)
        for r_pr in p.findall("w:r/w:rPr", NS):
            assert [c.tag.split("}")[1] for c in r_pr] == ["rStyle"]
    assert len(kept) == 1  # the last body paragraph only


def test_roles_map_to_named_styles(package):
    body = xml(package[1], "word/document.xml").find("w:body", NS)
    styles = [(p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS), "".join(p.itertext()))
              for p in body.findall("w:p", NS)]
    assert styles[:4] == [("GwTitle", "在全市统战工作会议上的汇报发言"), ("GwByline", "区委统战部部长 林秀岚"),
                          ("GwDate", "（2024年4月23日）"), ("GwSalutation", "尊敬的各位领导，同志们：")]
    assert ("", "开篇正文，建立示范点29个。") in styles
    assert ("GwClosing", "汇报完毕，谢谢大家！") in styles
    title = style(package[1], "GwTitle")
    assert attr(title.find("w:name", NS), "val") == "公文标题"
    assert attr(title.find("w:rPr/w:sz", NS), "val") == "44"
    assert attr(title.find("w:pPr/w:jc", NS), "val") == "center"
    assert attr(title.find("w:pPr/w:snapToGrid", NS), "val") == "0"


def test_heading_numbers_from_level(package):
    body = xml(package[1], "word/document.xml").find("w:body", NS)
    headings = [(p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS), "".join(p.itertext()))
                for p in body.findall("w:p", NS)
                if p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS).startswith("Heading")]
    assert headings == [("Heading1", "一、总体情况"), ("Heading2", "（一）具体做法"), ("Heading3", "1.第三级"),
                        ("Heading4", "（1）第四级"), ("Heading1", "二、第二部分"), ("Heading2", "（一）做法")]


def test_run_in_heading_and_placeholder_use_character_styles(package):
    body = xml(package[1], "word/document.xml").find("w:body", NS)
    para = next(p for p in body.findall("w:p", NS) if "".join(p.itertext()).startswith("做强基层"))
    runs = [(r.xpath("string(w:rPr/w:rStyle/@w:val)", namespaces=NS), "".join(r.itertext()))
            for r in para.findall("w:r", NS)]
    assert runs == [("GwRunIn1", "做强基层，构建责任体系。"), ("", "概述正文。会议在"),
                    ("GwPlaceholder", "【待补：会议地点】"), ("", "召开。")]
    assert attr(style(package[1], "GwRunIn1").find("w:rPr/w:rFonts", NS), "eastAsia") == "黑体"
    assert attr(style(package[1], "GwPlaceholder").find("w:rPr/w:shd", NS), "fill") == "FFFF00"


def test_a_numbered_run_in_lead_is_one_run_of_its_levels_style(layout):
    """The default form's points: “1.领句。” in the 领句 character style of level 3, enumerator and all;
    a placeholder inside the lead keeps the highlight."""
    data = render_docx(parse_outline("## 总体情况\n#### 压紧责任\n区委专题研究。\n#### [领句]{.待补}\n建立台账。\n"),
                       layout)
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find("w:body", NS)
    paras = [[(r.xpath("string(w:rPr/w:rStyle/@w:val)", namespaces=NS), "".join(r.itertext()))
              for r in p.findall("w:r", NS)] for p in body.findall("w:p", NS)]
    assert paras[0] == [("", "一、总体情况")]
    assert paras[1] == [("GwRunIn3", "1.压紧责任。"), ("", "区委专题研究。")]
    assert paras[2] == [("GwRunIn3", "2."), ("GwPlaceholder", "【待补：领句】"), ("GwRunIn3", "。"), ("", "建立台账。")]


def test_page_numbers_odd_right_even_left_with_dashes(package):
    parts = package[1]
    rels = parts["word/_rels/document.xml.rels"].decode()
    sect = xml(parts, "word/document.xml").find(".//w:body/w:sectPr", NS)
    refs = {attr(ref, "type"): ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            for ref in sect.findall("w:footerReference", NS)}
    assert set(refs) >= {"default", "even"}
    rel_xml = etree.fromstring(parts["word/_rels/document.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in rel_xml}
    assert "footer" in rels
    for kind, side, indent in (("default", "right", "right"), ("even", "left", "left")):
        footer = xml(parts, "word/" + targets[refs[kind]])
        p = footer.find("w:p", NS)
        assert attr(p.find("w:pPr/w:jc", NS), "val") == side
        assert attr(p.find("w:pPr/w:ind", NS), indent) == "280"
        assert "".join(t.text for t in p.iter(f"{{{W}}}t")) == "— 1 —"
        assert "PAGE" in "".join(p.itertext())
    assert xml(parts, "word/settings.xml").find("w:evenAndOddHeaders", NS) is not None
    number = style(parts, "GwPageNumber")
    assert attr(number.find("w:rPr/w:rFonts", NS), "eastAsia") == "宋体"
    assert attr(number.find("w:rPr/w:sz", NS), "val") == "28"


def test_xml_children_in_schema_order(package):
    for name, data in package[1].items():
        if not name.endswith(".xml"):
            continue
        root = etree.fromstring(data)
        for container, order in (("pPr", PPR_ORDER), ("rPr", RPR_ORDER)):
            for el in root.iter(f"{{{W}}}{container}"):
                tags = [c.tag.split("}")[1] for c in el if c.tag.startswith(f"{{{W}}}")]
                positions = [order.index(t) for t in tags]
                assert positions == sorted(positions), f"{name}: {container} {tags}"


def test_a_title_longer_than_a_document_property_is_whole_in_the_text():
    """Word's title and comments properties hold 255 characters; only that copy is shortened."""
    layout = load_layout("gbt9704", [builtin_templates() / "layouts"])
    title = "在" + "长" * 300 + "会议上的汇报发言"
    data = render_docx(parse_outline(f"# {title}\n\n正文。\n"), layout, title=title, comment="注" * 300)
    reopened = docx.Document(io.BytesIO(data))
    assert "".join(p.text for p in reopened.paragraphs).replace("\n", "").startswith(title)
    props = reopened.core_properties
    assert len(props.title) == 255 and props.title.endswith("…") and title.startswith(props.title[:-1])
    assert len(props.comments) == 255
    again = docx.Document(io.BytesIO(render_docx(parse_outline("# 短标题\n"), layout, title="短标题")))
    assert again.core_properties.title == "短标题"  # the reused package keeps nothing of the last draft
    assert again.core_properties.comments == ""
