"""The outline markup parser and the escaping of fact values."""
import pytest
from hypothesis import given, settings, strategies as st

from drafter.document import Heading, Paragraph, Placeholder, Text, escape, parse_outline, plain_text
from drafter.errors import DrafterError


def test_title_roles_headings_and_paragraphs():
    doc = parse_outline(
        "# 在全区会议上的\n# 汇报发言\n（2024年4月23日）{.日期}\n\n"
        "尊敬的各位领导，同志们：{.称谓}\n\n第一行\n第二行\n\n"
        "## 总体情况\n### 具体做法 {.不编号}\n正文。\n\n汇报完毕，谢谢大家！{.closing}\n"
    )
    kinds = [(type(b).__name__, getattr(b, "role", getattr(b, "level", None))) for b in doc.blocks]
    assert kinds == [("Paragraph", "title"), ("Paragraph", "date"), ("Paragraph", "salutation"),
                     ("Paragraph", "body"), ("Heading", 1), ("Heading", 2), ("Paragraph", "body"),
                     ("Paragraph", "closing")]
    assert plain_text(doc.blocks[0].inlines) == "在全区会议上的汇报发言"
    assert plain_text(doc.blocks[3].inlines) == "第一行第二行"  # adjacent lines join without a space
    assert doc.blocks[4].numbered and not doc.blocks[5].numbered


def test_run_in_heading_opens_the_next_paragraph():
    doc = parse_outline("## 做强基层，构建责任体系。{.领句 .不编号}\n坚持党的领导。\n")
    (para,) = doc.blocks
    assert isinstance(para, Paragraph) and para.role == "body"
    assert para.lead == Heading(level=1, inlines=[Text("做强基层，构建责任体系。")], numbered=False)
    assert plain_text(para.inlines) == "坚持党的领导。"


def test_placeholder_span_and_count():
    doc = parse_outline("会议在[会议地点]{.待补}召开，由[主持人]{.placeholder}主持。\n")
    assert doc.blocks[0].inlines == [Text("会议在"), Placeholder("会议地点"), Text("召开，由"),
                                     Placeholder("主持人"), Text("主持。")]
    assert [p.label for p in doc.placeholders()] == ["会议地点", "主持人"]
    assert Placeholder("会议地点").text == "【待补：会议地点】"


@pytest.mark.parametrize("value", ["1. 建立台账", "# 重点", "## 二级", "做实基础{.称谓}", "[地点]{.待补}",
                                   "一、总体情况", "a\\", "\\{.领句}", "}{", "第一行\n\n# 第二段"])
def test_fact_values_stay_text(value):
    doc = parse_outline(f"{escape(value)}\n\n正文{escape(value)}{{.称谓}}\n")
    first, second = doc.blocks
    assert isinstance(first, Paragraph) and first.role == "body" and first.lead is None
    assert all(isinstance(i, Text) for i in first.inlines)
    folded = value.replace("\n", "")
    assert plain_text(first.inlines) == folded
    assert second.role == "salutation" and plain_text(second.inlines) == "正文" + folded


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"),  # noncharacters are no sheet's text:
                                      blacklist_characters=[chr(c) for c in range(0xFDD0, 0xFDF0)])  # drafter's marks
               | st.sampled_from("#[]{}\\.\n "),
               max_size=40))
def test_any_value_is_one_text_paragraph(value):
    escaped = escape(value)
    if not escaped.strip():
        return
    doc = parse_outline("前" + escaped + "\n")
    assert len(doc.blocks) == 1 and doc.blocks[0].role == "body"
    assert all(isinstance(i, Text) for i in doc.blocks[0].inlines)
    assert "\n" not in plain_text(doc.blocks[0].inlines)


def test_line_breaks_in_values_fold():
    assert escape("第一行\n第二行") == "第一行第二行"
    assert escape("word\nwrap") == "word wrap"


@pytest.mark.parametrize("outline, message", [
    ("正文{.不存在}\n", "未知的段落角色“.不存在”"),
    ("## 标题 {.歪}\n正文\n", "未知的标题属性“.歪”"),
    ("## 领句 {.领句}\n", "段首领句后面缺少正文段落"),
    ("正文[x]{.歪}\n", "未知的行内标记"),
    ("正文{多余\n", "多余的“{”"),
])
def test_markup_mistakes_are_template_errors(outline, message):
    with pytest.raises(DrafterError) as caught:
        parse_outline(outline, source="outline.md.j2")
    assert message in str(caught.value)
    assert str(caught.value.problems[0]).startswith("outline.md.j2:1:") or "outline.md.j2" in str(caught.value)


def test_a_role_ends_its_paragraph():
    doc = parse_outline("区委统战部部长 林秀岚{.署名}\n（2024年4月23日）{.日期}\n正文\n")
    assert [(b.role, plain_text(b.inlines)) for b in doc.blocks] == [
        ("byline", "区委统战部部长 林秀岚"), ("date", "（2024年4月23日）"), ("body", "正文")]


def test_the_part_count_counts_level_one_headings_and_refuses_none():
    doc = parse_outline("我讲[]{.部分数}点意见。\n\n## 甲{.非排比}\n\n## 乙{.领句}\n正文。\n")
    assert plain_text(doc.blocks[0].inlines) == "我讲两点意见。"
    with pytest.raises(DrafterError, match="部分数"):
        parse_outline("我讲[]{.部分数}点意见。\n")
