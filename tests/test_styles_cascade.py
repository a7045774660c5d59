"""Styles cascade from 正文 (issue 14, finding 6): a derived style states only what differs from Normal,
so a staff writer who changes 正文 in Word changes every paragraph and 领句 that looks like body text.

Checked twice: in the XML (no derived style repeats a property of Normal's), and on the page: a drafted
.docx whose Normal alone is given another East Asian font and size, rendered by LibreOffice, sets every
body-like paragraph in the new font and size, while the title and headings 1–2 keep their own faces.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from lxml import etree

from drafter.document import parse_outline
from drafter.form_scheme import read_scheme
from drafter.layout import load_layout
from drafter.templates import builtin_templates
from drafter.writers.docx import render_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
HERE = Path(__file__).resolve().parent
LAYOUTS = ("gbt9704", "windows", "news")

# Every role in one draft: the default form sets points as 1. and （1） leads (领句 3 and 4); FORM sets them as
# headings 3 and 4 and a part as a 一级领句.
OUTLINE = """# 测试标题
区委统战部部长 林秀岚{.署名}
（二〇二四年四月）{.日期}

同志们：{.称谓}

正文段落。

## 总体情况

### 具体做法

#### 压紧责任
区委专题研究。

##### 细化分工
逐项落实。

## 甲部分{名称=领句段}
概述正文。

谢谢大家！{.结束语}

青禾区委统战部{.落款}
二〇二四年十二月{.成文日期}
"""
FORM = {"点": "1. 标题", "小点": "（1） 标题", "领句段": {"部分": "无 领句"}}


def _layout(name: str = "gbt9704"):
    return load_layout(name, [builtin_templates() / "layouts"])


def _draft(layout, form=None) -> bytes:
    scheme = read_scheme(form, lambda path: ("template.yaml", None, None)) if form else None
    return render_docx(parse_outline(OUTLINE, scheme=scheme), layout)


def _styles(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/styles.xml"))


def _properties(style) -> Dict[Tuple[str, str], str]:
    """(element, attribute) → value for every attribute of the style's pPr and rPr children."""
    found = {}
    for container in ("w:pPr", "w:rPr"):
        for child in style.findall(f"{container}/*", NS):
            tag = etree.QName(child).localname
            for key, value in child.attrib.items():
                found[(f"{container[2:]}/{tag}", etree.QName(key).localname)] = value
            if not child.attrib:
                found[(f"{container[2:]}/{tag}", "")] = "on"
    return found


@pytest.mark.parametrize("name", LAYOUTS)
def test_no_derived_style_repeats_a_property_of_normal(name):
    styles = _styles(_draft(_layout(name)))
    normal = _properties(styles.find("w:style[@w:styleId='Normal']", NS))
    derived = styles.xpath("w:style[w:basedOn/@w:val='Normal']", namespaces=NS)
    assert len(derived) >= 12  # and 公文页码 where pages are numbered
    for style in derived:
        repeated = {key: value for key, value in _properties(style).items()
                    if key in normal and normal[key] == value and key[1] not in ("hint", "lineRule")}
        assert not repeated, (style.get(f"{{{W}}}styleId"), repeated)


@pytest.mark.parametrize("name", LAYOUTS)
def test_body_like_styles_name_no_font_or_size_of_their_own(name):
    """Headings 3–4, 领句 3–4, 称谓, 结束语, 落款 and 成文日期 take 正文's font and size; headings 1–2 take its size."""
    styles = _styles(_draft(_layout(name)))
    for sid in ("Heading1", "Heading2", "Heading3", "Heading4", "GwSalutation", "GwClosing", "GwSignature",
                "GwSignedDate", "GwRunIn3", "GwRunIn4"):
        style = styles.find(f"w:style[@w:styleId='{sid}']", NS)
        assert style.find("w:rPr/w:sz", NS) is None and style.find("w:rPr/w:szCs", NS) is None, sid
        assert style.find("w:rPr/w:spacing", NS) is None, sid  # 正文's character spacing: 28 a line
        spacing = style.find("w:pPr/w:spacing", NS)
        if sid == "GwSignature":  # 落款 keeps only its blank line above, not 正文's line height
            assert dict(spacing.attrib) == {f"{{{W}}}before": "579"}
        else:
            assert spacing is None, sid
        if not sid.startswith(("Heading1", "Heading2")):
            assert style.find("w:rPr/w:rFonts", NS) is None, sid
    assert styles.find("w:style[@w:styleId='Heading1']/w:rPr/w:rFonts", NS).get(f"{{{W}}}eastAsia") == "黑体"
    title = styles.find("w:style[@w:styleId='GwTitle']", NS)
    assert title.find("w:rPr/w:sz", NS).get(f"{{{W}}}val") == "44"


# ---------------------------------------------------------------- on the page

SOFFICE, PDFTOHTML = shutil.which("soffice"), shutil.which("pdftohtml")
needs_render = pytest.mark.skipif(
    SOFFICE is None or PDFTOHTML is None,
    reason="render test needs LibreOffice (soffice) and poppler (pdftohtml); on Debian: apt-get install "
           "libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming")

# Stand-ins from tests/fonts.conf: 仿宋 → AR PL UMing, 楷体 → AR PL UKai, 黑体 → Noto Sans CJK, 宋体 → Noto Serif CJK.
MING, KAI, SANS, SERIF = "UMing", "UKai", "NotoSansCJK", "NotoSerifCJK"
NEW_FONT, NEW_FACE, NEW_SIZE = "宋体", SERIF, 12  # what Normal is changed to: 宋体 小四

# A marker of each paragraph's text → (face, size) before and after Normal changes. None: 正文's, whatever it is.
BODY = None
EXPECTED = {
    "测试标题": (SERIF, 22),      # 公文标题 keeps its font and size
    "林秀岚": (KAI, BODY),         # 署名: its own font, 正文's size
    "二〇二四年四月": (KAI, BODY),
    "同志们": (BODY, BODY),        # 称谓
    "正文段落": (BODY, BODY),
    "总体情况": (SANS, BODY),      # heading 1: 黑体
    "具体做法": (KAI, BODY),       # heading 2: 楷体
    "压紧责任": (BODY, BODY),      # 三级领句, or heading 3
    "区委专题研究": (BODY, BODY),
    "细化分工": (BODY, BODY),      # 四级领句, or heading 4
    "逐项落实": (BODY, BODY),
    "甲部分": (SANS, BODY),        # heading 1, or 一级领句
    "概述正文": (BODY, BODY),
    "谢谢大家": (BODY, BODY),      # 结束语
    "青禾区委统战部": (BODY, BODY),  # 落款
    "二〇二四年十二月": (BODY, BODY),  # 成文日期
}


def _change_normal(data: bytes, font: str, size: int) -> bytes:
    """The .docx with only Normal's East Asian font and size changed, as a staff writer would in Word."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/styles.xml":
                root = etree.fromstring(content)
                normal = root.find("w:style[@w:styleId='Normal']", NS)
                normal.find("w:rPr/w:rFonts", NS).set(f"{{{W}}}eastAsia", font)
                for tag in ("sz", "szCs"):
                    normal.find(f"w:rPr/w:{tag}", NS).set(f"{{{W}}}val", str(size * 2))
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, content)
    return out.getvalue()


def _render(folder: Path, files: Dict[str, bytes]) -> Dict[str, List[Tuple[str, str, int]]]:
    """Each .docx as LibreOffice sets it: (text, face, size in points) of every stretch of CJK text."""
    for name, data in files.items():
        (folder / f"{name}.docx").write_bytes(data)
    env = dict(os.environ, FONTCONFIG_FILE=str(HERE / "fonts.conf"))
    profile = folder / "lo-profile"
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(folder)] + [str(folder / f"{n}.docx") for n in files],
                   env=env, capture_output=True, timeout=300)
    result = {}
    for name in files:
        pdf = folder / f"{name}.pdf"
        assert pdf.exists(), f"soffice wrote no {pdf.name}"
        xml = subprocess.run([PDFTOHTML, "-xml", "-i", "-zoom", "1", "-stdout", str(pdf)],
                             capture_output=True, check=True).stdout
        root = etree.fromstring(xml, etree.XMLParser(recover=True))
        fonts = {f.get("id"): (f.get("family").split("+")[-1], int(f.get("size"))) for f in root.iter("fontspec")}
        result[name] = [("".join(t.itertext()), *fonts[t.get("font")]) for t in root.iter("text")
                        if re.search(r"[\u4e00-\u9fff〇]", "".join(t.itertext()))]
    return result


def _check(stretches, body_face: str, body_size: int) -> List[str]:
    wrong, seen = [], set()
    for text, face, size in stretches:
        markers = [m for m in EXPECTED if m in text]
        for marker in markers:
            seen.add(marker)
            want_face, want_size = EXPECTED[marker]
            want_face, want_size = want_face or body_face, want_size or body_size
            if want_face not in face or size != want_size:
                wrong.append(f"{marker}: {face} {size} pt, expected {want_face} {want_size} pt")
    wrong += [f"{marker}: not found on the page" for marker in EXPECTED if marker not in seen]
    return wrong


@needs_render
@pytest.mark.parametrize("name", ("gbt9704", "windows"))
def test_a_change_to_normal_reaches_every_body_like_paragraph(tmp_path, name):
    layout = _layout(name)
    drafts = {"leads": _draft(layout), "headings": _draft(layout, FORM)}
    files = dict(drafts)
    files.update({f"{key}-changed": _change_normal(data, NEW_FONT, NEW_SIZE) for key, data in drafts.items()})
    rendered = _render(tmp_path, files)
    for key in drafts:
        assert _check(rendered[key], MING, 16) == [], f"{key} as drafted"
        assert _check(rendered[f"{key}-changed"], NEW_FACE, NEW_SIZE) == [], f"{key} after 正文 changed"
