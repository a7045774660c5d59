"""Fact accounting: values the draft never printed are reported with their line; the draft knows which
of its stretches are facts (provenance), so printed means printed, not "the same text is somewhere"."""
import pytest

from drafter.accounting import (
    audit,
    check_numbers,
    strict_problems,
    unprinted_fields,
    unused_facts,
)
from drafter.document import parse_outline
from drafter.errors import DrafterError
from drafter.facts import load_sheet
from drafter.render import new_environment, render_template
from drafter.validate import load_schema, validate


def sheet(tmp_path, text):
    path = tmp_path / "2024.yaml"
    path.write_text(text, encoding="utf-8")
    return load_sheet(path)


def drafted(tmp_path, facts_sheet, schema_text, outline, mounts=None):
    """The Document a template makes of the sheet, as the pipeline makes it."""
    path = tmp_path / "schema.yaml"
    path.write_text(schema_text, encoding="utf-8")
    schema = load_schema([path])
    facts = validate(facts_sheet, schema, mounts)
    rendered = render_template(new_environment([str(tmp_path)]), "outline", facts, source=outline)
    return schema, parse_outline(rendered.text, "outline", rendered.prints)


SHEET = """年度: 2024
工作成效:
  - 事项:
      - 建立示范点29个
      - 投入资金15万余元，
  - 事项:
      - 认定代表人士865名
    日期: 2024-04-23
其他:
  - 不读的部分
"""
RESULTS = ("results: {label: 工作成效, type: list, schema: {type: dict, schema: {"
           "items: {label: 事项, type: list, schema: {type: string}}, day: {label: 日期, type: date}}}}\n"
           "year: {label: 年度, type: integer}\n")


def test_unprinted_values_are_listed_with_their_lines(tmp_path):
    facts = sheet(tmp_path, SHEET)
    _, doc = drafted(tmp_path, facts, RESULTS, "{{ results[0]['items']|zh_join('，')|zh_sentence }}\n\n"
                                                "会议于{{ results[1].day }}召开。\n")
    problems = unused_facts(facts, ["工作成效"], doc)
    assert [str(p) for p in problems] == [
        f"{facts.path}:7:9: 工作成效[2].事项[1]: 未使用：“认定代表人士865名”没有写进文稿"]


def test_text_that_only_looks_like_a_fact_is_not_that_fact(tmp_path):
    """The template writes the words itself: the sheet's value was never printed, whatever the text."""
    facts = sheet(tmp_path, SHEET)
    _, doc = drafted(tmp_path, facts, RESULTS, "建立示范点\n")
    assert [p.path for p in unused_facts(facts, ["工作成效"], doc)] == [
        "工作成效[1].事项[1]", "工作成效[1].事项[2]", "工作成效[2].事项[1]", "工作成效[2].日期"]


def test_sections_the_kind_does_not_read_are_ignored(tmp_path):
    facts = sheet(tmp_path, SHEET)
    _, doc = drafted(tmp_path, facts, RESULTS, "{% for r in results %}{{ r['items']|zh_join }}{{ r.day }}{% endfor %}\n")
    assert unused_facts(facts, ["工作成效"], doc) == []
    assert [p.path for p in unused_facts(facts, ["其他"], doc)] == ["其他[1]"]


def test_each_fact_in_the_document_knows_where_it_was_written(tmp_path):
    facts = sheet(tmp_path, SHEET)
    _, doc = drafted(tmp_path, facts, RESULTS, "{{ year }}年，{{ results[1]['items'][0] }}（{{ results[1].day }}）。\n")
    found = [(f.text, f.source.path, f.source.line, f.source.column) for f in doc.facts()]
    assert found == [("2024", "年度", 1, 5), ("认定代表人士865名", "工作成效[2].事项[1]", 7, 9),
                     ("2024年4月23日", "工作成效[2].日期", 8, 9)]
    assert [type(i).__name__ for i in doc.blocks[0].inlines] == ["Fact", "Text", "Fact", "Text", "Fact", "Text"]


def test_values_that_look_like_markup_stay_facts(tmp_path):
    facts = sheet(tmp_path, '要点:\n  - "第一行\\n第二行"\n  - "# 重点 [x]{.待补}"\n')
    _, doc = drafted(tmp_path, facts, "points: {label: 要点, type: list, schema: {type: string}}\n",
                     "{{ points[0] }}\n\n{{ points[1] }}\n")
    assert [f.text for f in doc.facts()] == ["第一行第二行", "# 重点 [x]{.待补}"]
    assert unused_facts(facts, ["要点"], doc) == []


def test_a_number_in_framing_text_is_refused_however_it_got_there():
    doc = parse_outline("全年新建阵地21个，约三万人次。\n")
    with pytest.raises(DrafterError) as caught:
        check_numbers(doc, "outline.md.j2")
    assert "“21”" in caught.value.problems[0].message
    check_numbers(parse_outline("进一步统一思想，一是压实责任。\n"), "outline.md.j2")  # 一 counts nothing


def test_a_number_in_a_run_in_lead_is_refused_and_the_generated_enumerator_is_not():
    """A point's lead is a Lead inline inside its paragraph (the default form): its framing text is
    checked like any other, while the 1. drafter generated before it is no template's number."""
    doc = parse_outline("## 总体情况\n#### 建立21个阵地\n正文。\n")
    with pytest.raises(DrafterError) as caught:
        check_numbers(doc, "outline.md.j2")
    assert "“21”" in caught.value.problems[0].message and "1.建立21个阵地。" in caught.value.problems[0].message
    check_numbers(parse_outline("## 总体情况\n#### 建立阵地\n正文。\n#### 健全机制\n正文。\n"), "outline.md.j2")


# --------------------------------------------------------------------------- a whole draft: audit()

UNIT = "unit: {label: 单位, type: dict, schema: {name: {label: 全称, type: string}, region: {label: 地区, type: string}}}\n"
NOTE = "note: {label: 附记, type: string}\n"
ITEM = "{id: {label: 编号, type: string}, text: {label: 内容, type: string}, place: {label: 地点, type: string}}"
SCHEMA = UNIT + f"items: {{label: 活动, type: list, schema: {{type: dict, schema: {ITEM}}}}}\n" + NOTE
# news: the sheet's 活动 list is the schema's ``event``, one item of it mounted
MOUNTED = UNIT + f"event: {{label: 活动, type: dict, schema: {ITEM}}}\n" + NOTE

AUDITED = """单位:
  全称: 青禾区委统战部
  地区: 枫岭市青禾区
活动:
  - 编号: A
    内容: 召开会议
  - 编号: B
    内容: 走访慰问
其他: 不读
"""


def schema(tmp_path, text=SCHEMA):
    path = tmp_path / "schema.yaml"
    path.write_text(text, encoding="utf-8")
    return load_schema([path])


def test_audit_reads_the_declared_sections_less_the_unprinted_fields(tmp_path):
    facts = sheet(tmp_path, AUDITED)
    read, doc = drafted(tmp_path, facts, SCHEMA, "{{ unit.name }}{{ items[0].text }}。\n")
    found = audit(facts, read, doc, unprinted=["unit.region", "items.id"])
    assert [(p.path, p.line) for p in found.unused] == [("活动[2].内容", 8)]
    assert found.pending == []  # no placeholder in the draft


def test_a_misspelt_section_name_is_reported_not_silently_skipped(tmp_path):
    facts = sheet(tmp_path, AUDITED + "工作计画: 明年再办一次\n")
    planned, doc = drafted(tmp_path, facts, SCHEMA + "plan: {label: 工作计划, type: string}\n",
                           "{{ unit.name }}，{{ unit.region }}。{% for i in items %}{{ i.text }}。{% endfor %}\n")
    found = audit(facts, planned, doc, unprinted=["items.id", "note"])
    assert [(p.path, p.line) for p in found.unused] == [("工作计画", 10)]
    assert "是否想写“工作计划”" in found.unused[0].message
    assert strict_problems(found)  # --strict refuses it like any unused fact


def test_audit_of_a_mount_reads_only_the_chosen_item(tmp_path):
    facts = sheet(tmp_path, AUDITED)
    mounted, doc = drafted(tmp_path, facts, MOUNTED, "{{ event.text }}，地点{{ event.place }}。\n", {"event": ("活动", 1)})
    found = audit(facts, mounted, doc, mounts={"event": ("活动", 1)}, unprinted=["unit", "event.id", "note"])
    assert found.unused == []  # 活动[1] is not the chosen event: not this draft's business
    _, silent = drafted(tmp_path, facts, MOUNTED, "召开会议。\n", {"event": ("活动", 1)})
    other = audit(facts, mounted, silent, mounts={"event": ("活动", 1)}, unprinted=["unit", "event.id", "note"])
    assert [(p.path, p.line) for p in other.unused] == [("活动[2].内容", 8)]
    assert [str(p) for p in found.pending] == [
        f"{facts.path}:7:5: 活动[2].地点: 待补：事实表没有填写，文稿中显示为【待补：地点】"]


def test_an_optional_field_left_blank_is_pointed_at_where_it_stands(tmp_path):
    facts = sheet(tmp_path, AUDITED.replace("    内容: 走访慰问\n", "    内容: 走访慰问\n    地点:\n"))
    mounted, doc = drafted(tmp_path, facts, MOUNTED, "{{ event.text }}，地点{{ event.place }}。\n", {"event": ("活动", 1)})
    found = audit(facts, mounted, doc, mounts={"event": ("活动", 1)}, unprinted=["unit", "event.id", "note"])
    assert [str(p) for p in found.pending] == [
        f"{facts.path}:9:5: 活动[2].地点: 待补：事实表没有填写，文稿中显示为【待补：地点】"]


def test_placeholders_of_a_section_not_written_name_its_path(tmp_path):
    facts = sheet(tmp_path, "单位:\n  全称: 青禾区委统战部\n")
    read, doc = drafted(tmp_path, facts, SCHEMA, "{{ unit.name }}{{ note }}\n")
    found = audit(facts, read, doc)
    assert [(p.path, p.line) for p in found.pending] == [("附记", None)]
    problems = strict_problems(found)
    assert problems[-1].message == "--strict：文稿有 1 处待补，没有写出文件"
    _, complete = drafted(tmp_path, facts, SCHEMA, "{{ unit.name }}\n")
    assert strict_problems(audit(facts, read, complete)) == []


def test_unprinted_fields_must_name_fields_of_the_schema(tmp_path):
    from drafter.templates import load_pack

    def pack(meta):
        (tmp_path / "template.yaml").write_text(meta, encoding="utf-8")
        (tmp_path / "outline.md.j2").write_text("# 甲\n", encoding="utf-8")
        return load_pack("speech", "甲", tmp_path, [])

    with pytest.raises(DrafterError) as error:
        unprinted_fields(pack("title: 甲\nunprinted:\n  - unit.region\n  - unit.nmae\n"), schema(tmp_path))
    [problem] = error.value.problems
    assert (problem.line, problem.path) == (4, "unprinted[2]") and "unit.nmae" in problem.message
    assert unprinted_fields(pack("title: 甲\nunprinted: [unit.region, items.place]\n"),
                            schema(tmp_path)) == ("unit.region", "items.place")
    with pytest.raises(DrafterError) as error:
        pack("title: 甲\nunprinted: [{unit: region}]\n")
    assert error.value.problems[0].path == "unprinted[1]"


def test_a_frame_counts_as_printed_by_its_headings(tmp_path):
    facts = sheet(tmp_path, "排比框架: 做{强|好}{基层|基础}\n")
    frame = "frame: {label: 排比框架, type: string}\n"
    _, doc = drafted(tmp_path, facts, frame, "## {{ frame|frame_fill(0) }}\n\n## {{ frame|frame_fill(1) }}\n")
    assert unused_facts(facts, ["排比框架"], doc) == []
    assert [(f.text, f.source.path) for f in doc.facts()] == [("做强基层", "排比框架"), ("做好基础", "排比框架")]
    _, typed = drafted(tmp_path, facts, frame, "## 做强基层\n")
    assert len(unused_facts(facts, ["排比框架"], typed)) == 1


def test_punctuation_a_template_changes_still_counts_as_printed(tmp_path):
    facts = sheet(tmp_path, "标题展开: 压实责任链条，坚持上下贯通\n起: 2024-06-18\n结束: 2024-06-20\n")
    fields = ("tail: {label: 标题展开, type: string}\nstart: {label: 起, type: date}\n"
              "end: {label: 结束, type: date}\n")
    _, doc = drafted(tmp_path, facts, fields, "{{ tail|zh_headline }}\n\n{{ start|zh_days(end, 2024) }}\n")
    assert [f.text for f in doc.facts()] == ["压实责任链条\u3000坚持上下贯通", "6月18日", "20日"]
    assert unused_facts(facts, ["标题展开", "结束"], doc) == []
