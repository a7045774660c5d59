"""The outline markup parser and the escaping of fact values."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.document import (
    Generated,
    Heading,
    Lead,
    Paragraph,
    Placeholder,
    Text,
    escape,
    parse_outline,
    plain_text,
    read_outline,
)
from drafter.errors import DrafterError
from drafter.form_scheme import read_scheme


def scheme(data):
    return read_scheme(data, lambda path: ("template.yaml", None, None))


def test_title_roles_headings_and_paragraphs():
    doc = parse_outline(
        "# 在全区会议上的\n# 汇报发言\n（2024年4月23日）{.日期}\n\n"
        "尊敬的各位领导，同志们：{.称谓}\n\n第一行\n第二行\n\n"
        "## 总体情况\n### 具体做法\n正文。\n\n汇报完毕，谢谢大家！{.closing}\n"
    )
    kinds = [(type(b).__name__, getattr(b, "role", getattr(b, "level", None))) for b in doc.blocks]
    assert kinds == [("Paragraph", "title"), ("Paragraph", "date"), ("Paragraph", "salutation"),
                     ("Paragraph", "body"), ("Heading", 1), ("Heading", 2), ("Paragraph", "body"),
                     ("Paragraph", "closing")]
    assert plain_text(doc.blocks[0].inlines) == "在全区会议上的汇报发言"
    assert plain_text(doc.blocks[3].inlines) == "第一行第二行"  # adjacent lines join without a space
    # the default form numbers 部分 and 节 as GB/T 9704 headings; the enumerator is generated, not typed
    assert doc.blocks[4].inlines == [Generated("一、", "序号"), Text("总体情况")]
    assert doc.blocks[5].inlines == [Generated("（一）", "序号"), Text("具体做法")]


def test_items_are_a_tree_of_leads_and_bodies():
    outline = read_outline("开头。\n\n## 甲\n概述。\n### 子一\n内容一。\n#### \n要点。\n### 子二\n内容二。\n###/\n小结。\n\n"
                           "## 乙{.非排比 名称=成绩}\n正文。\n\n结束。{.结束语}\n")
    first, second = outline.items()
    assert [type(n).__name__ for n in outline.content] == ["Paragraph", "Item", "Item", "Paragraph"]
    assert (first.depth, plain_text(first.lead)) == (1, "甲")
    summary, one, two, closing = first.content
    assert plain_text(summary.inlines) == "概述。" and not summary.continues
    assert [(i.depth, plain_text(i.lead)) for i in first.items()] == [(2, "子一"), (2, "子二")]
    assert [(i.depth, i.lead) for i in one.items()] == [(3, [])]  # #### with no words: a point without a lead
    assert closing.continues and plain_text(closing.inlines) == "小结。"  # right under ###/: the part's again
    assert (second.parallel, second.name, first.parallel, first.name) == (False, "成绩", True, None)
    assert outline.content[-1].role == "closing"


def test_a_line_right_after_a_closing_mark_goes_on_the_paragraph_before():
    text = "## 甲\n### 子\n内容。\n###/\n接上。\n\n## 乙\n### 子\n内容。\n###/\n\n另起。\n"
    blocks = [plain_text(b.inlines) for b in parse_outline(text).blocks if isinstance(b, Paragraph)]
    assert blocks == ["内容。接上。", "内容。", "另起。"]


def test_a_label_takes_the_enumerators_place():
    outline = read_outline("## [方法一]{.标签}做强基层\n正文。\n\n## [方法二]{.标签}做好基层\n正文。\n")
    assert [(plain_text(i.label), plain_text(i.lead)) for i in outline.items()] == [("方法一", "做强基层"),
                                                                                   ("方法二", "做好基层")]
    heading = parse_outline("## [方法一]{.标签}做强基层\n正文。\n").blocks[0]
    assert isinstance(heading, Heading) and plain_text(heading.inlines) == "方法一：做强基层"
    assert not any(isinstance(i, Generated) for i in heading.inlines)


def test_run_in_lead_opens_the_next_paragraph():
    doc = parse_outline("## 做强基层，构建责任体系。\n坚持党的领导。\n", scheme=scheme({"部分": "无 领句"}))
    (para,) = doc.blocks
    assert isinstance(para, Paragraph) and para.role == "body"
    assert para.inlines[0] == Lead(level=1, inlines=(Text("做强基层，构建责任体系。"),))
    assert plain_text(para.inlines[1:]) == "坚持党的领导。"
    assert plain_text(para.inlines) == "做强基层，构建责任体系。坚持党的领导。"
    assert list(doc.inlines()) == [Text("做强基层，构建责任体系。"), Text("坚持党的领导。")]  # leads flattened


def test_a_point_is_a_numbered_run_in_lead_by_default():
    doc = parse_outline("## 总体情况\n#### 压紧责任\n区委常委会专题研究。\n#### 健全机制\n建立台账。\n")
    heading, first, second = doc.blocks
    assert heading.inlines == [Generated("一、", "序号"), Text("总体情况")]
    assert isinstance(first.inlines[0], Lead) and first.inlines[0].level == 3
    assert first.inlines[0].inlines[0] == Generated("1.", "序号")
    assert first.inlines[0].text == "1.压紧责任。" and plain_text(first.inlines[1:]) == "区委常委会专题研究。"
    assert second.inlines[0].text == "2.健全机制。"


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
    assert isinstance(first, Paragraph) and first.role == "body"
    assert all(isinstance(i, Text) for i in first.inlines)  # no Lead, no Generated: never an item
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
    ("## 领句 {.领句}\n正文\n", "“.领句”不再写在模板里"),
    ("## 领句 {.不编号}\n正文\n", "由形式方案决定（template.yaml 的 form"),
    ("## 领句 {.run-in .unnumbered}\n正文\n", "docs/forms.md"),
    ("正文[方法一]{.标签}\n", "[……]{.标签} 只能写在"),
    ("# 标题{.署名}\n", "标题行不能带属性"),
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
    doc = parse_outline("我讲[]{.部分数}点意见。\n\n## 甲{.非排比}\n\n## 乙\n正文。\n\n### 丙\n\n#### 丁\n")
    assert plain_text(doc.blocks[0].inlines) == "我讲两点意见。"  # parts only: not 节, not 点
    assert Generated("两", "计数") in doc.blocks[0].inlines
    doc = parse_outline("我讲[]{.部分数}点意见。\n\n## 甲\n正文。\n", scheme=scheme({"部分": "无 领句"}))
    assert plain_text(doc.blocks[0].inlines) == "我讲一点意见。"  # a part counts however its form prints it
    with pytest.raises(DrafterError, match="部分数"):
        parse_outline("我讲[]{.部分数}点意见。\n")


def test_ending_a_level_that_is_not_open_is_nothing():
    """A loop over an empty list writes no ### item; the ###/ after it ends nothing and is no error."""
    doc = parse_outline("## 部分\n概述。\n###/\n小结。\n")
    assert [plain_text(b.inlines) for b in doc.blocks] == ["一、部分", "概述。小结。"]
