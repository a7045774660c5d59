"""Tabs and style names (issue 14, finding 8): a tab typed into a fact is Word's <w:tab/>, and no style
drafter defines shares a display name, English or Chinese, with one of Word's built-in styles."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from drafter.document import Document, Paragraph, Text
from drafter.layout import load_layout
from drafter.pipeline import make_draft, render
from drafter.templates import builtin_templates
from drafter.writers.docx import render_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
FACTS = Path(__file__).resolve().parent.parent / "facts" / "2024.yaml"


def _part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


# ---------------------------------------------------------------- tabs

@pytest.fixture
def tabbed_sheet(tmp_path):
    text = FACTS.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^  称谓: 尊敬的各位领导，同志们：", '  称谓: "尊敬的各位领导，\\t同志们："', text)
    assert count == 1
    sheet = tmp_path / "2024.yaml"
    sheet.write_text(text, encoding="utf-8")
    return sheet


def test_a_tab_in_a_fact_is_a_word_tab(tabbed_sheet):
    draft = make_draft("speech", tabbed_sheet, "report")
    body = _part(render(draft, "docx"), "word/document.xml").find("w:body", NS)
    para = next(p for p in body.findall("w:p", NS) if "尊敬的各位领导" in "".join(p.itertext()))
    run = para.find("w:r", NS)
    assert [etree.QName(child).localname for child in run] == ["t", "tab", "t"]
    assert [t.text for t in run.findall("w:t", NS)] == ["尊敬的各位领导，", "同志们："]
    assert not any("\t" in (t.text or "") for t in body.iter(f"{{{W}}}t"))
    assert docx.Document(io.BytesIO(render(draft, "docx"))).paragraphs[3].text == "尊敬的各位领导，\t同志们："


def test_a_tab_in_a_fact_stays_a_tab_in_the_text_preview(tabbed_sheet):
    draft = make_draft("speech", tabbed_sheet, "report")
    assert "尊敬的各位领导，\t同志们：" in render(draft, "txt").decode("utf-8")


@pytest.mark.parametrize("text, pieces", [
    ("\t开头", ["tab", "t"]), ("结尾\t", ["t", "tab"]), ("甲\t\t乙", ["t", "tab", "tab", "t"]),
])
def test_tabs_at_the_edges_and_in_a_row(text, pieces):
    layout = load_layout("gbt9704", [builtin_templates() / "layouts"])
    document = Document([Paragraph([Text(text)])])
    body = _part(render_docx(document, layout), "word/document.xml").find("w:body", NS)
    run = body.find("w:p/w:r", NS)
    assert [etree.QName(child).localname for child in run] == pieces


# ---------------------------------------------------------------- names

# The display names of Word's built-in styles in the Chinese UI (Word shows these for the English w:name).
CHINESE_BUILT_INS = {
    "正文", "标题", "副标题", "默认段落字体", "普通表格", "无列表", "页眉", "页脚", "页码", "行号",
    "正文文本", "正文文本 2", "正文文本 3", "正文文本缩进", "正文文本缩进 2", "正文文本缩进 3", "正文首行缩进",
    "正文首行缩进 2", "正文缩进", "称呼", "结束语", "签名", "日期", "电子邮件签名", "注释标题", "信息标题",
    "纯文本", "文本块", "题注", "引用", "明显引用", "强调", "要点", "不明显强调", "明显强调", "不明显参考",
    "明显参考", "书籍标题", "无间隔", "列表段落", "超链接", "已访问的超链接", "脚注文本", "脚注引用", "尾注文本",
    "尾注引用", "批注文字", "批注引用", "批注主题", "批注框文本", "目录", "TOC 标题", "索引标题", "信封地址",
    "信封返回", "列表", "列表编号", "列表项目符号", "列表继续", "图表目录", "引文目录", "引文目录标题", "宏文本",
    "文档结构图", "网格型", "HTML 地址", "HTML 预设格式", "书目", "占位符文本",
} | {f"标题 {n}" for n in range(1, 10)} | {f"目录 {n}" for n in range(1, 10)} | {f"索引 {n}" for n in range(1, 10)}
# English names of built-ins that python-docx's template leaves out of its latent styles.
ENGLISH_BUILT_INS = {
    "page number", "header", "footer", "line number", "Closing", "Salutation", "Signature", "Date",
    "E-mail Signature", "Note Heading", "Message Header", "Plain Text", "Block Text", "Body Text",
    "Body Text First Indent", "Normal Indent", "envelope address", "envelope return", "macro", "Document Map",
    "footnote text", "footnote reference", "endnote text", "endnote reference", "annotation text",
    "annotation reference", "Hyperlink", "FollowedHyperlink", "Table Grid", "Placeholder Text", "Bibliography",
}
# Styles that are the built-ins themselves, named as Word names them.
BUILT_IN_IDS = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Heading1", "Heading2", "Heading3",
                "Heading4"}


def _english_built_ins():
    """The latent and defined style names of the Word template python-docx ships, and the list above."""
    template = Path(docx.__file__).parent / "templates" / "default.docx"
    styles = _part(template.read_bytes(), "word/styles.xml")
    names = {e.get(f"{{{W}}}name") for e in styles.iter(f"{{{W}}}lsdException")}
    names |= {e.get(f"{{{W}}}val") for e in styles.findall("w:style/w:name", NS)}
    assert {"Subtitle", "Title", "heading 1"} <= names
    return {name.casefold() for name in names | ENGLISH_BUILT_INS}


@pytest.mark.parametrize("layout_name", ["gbt9704", "windows", "news"])
def test_no_custom_style_shares_a_name_with_a_built_in(layout_name):
    draft = make_draft("speech", FACTS, "report", layout_name)
    styles = _part(render(draft, "docx"), "word/styles.xml")
    english = _english_built_ins()
    checked = []
    for style in styles.findall("w:style", NS):
        sid, name = style.get(f"{{{W}}}styleId"), style.find("w:name", NS).get(f"{{{W}}}val")
        if sid in BUILT_IN_IDS:
            assert name.casefold() in english, (sid, name)
            continue
        assert style.get(f"{{{W}}}customStyle") == "1", sid
        names = [name] + [a for e in style.findall("w:aliases", NS) for a in e.get(f"{{{W}}}val").split(",")]
        for shown in names:
            assert shown.casefold() not in english, (sid, shown)
            assert shown.strip() not in CHINESE_BUILT_INS, (sid, shown)
        checked.append(name)
    assert len(checked) >= 13 and len(set(checked)) == len(checked)
