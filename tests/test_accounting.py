"""Fact accounting: values the draft never printed are reported with their line."""
import pytest

from drafter.accounting import audit, strict_problems, unprinted_fields, unused_facts
from drafter.document import escape, parse_outline
from drafter.errors import DrafterError
from drafter.facts import load_sheet
from drafter.validate import load_schema


def sheet(tmp_path, text):
    path = tmp_path / "2024.yaml"
    path.write_text(text, encoding="utf-8")
    return load_sheet(path)


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


def test_unprinted_values_are_listed_with_their_lines(tmp_path):
    facts = sheet(tmp_path, SHEET)
    doc = parse_outline("建立示范点29个，投入资金15万余元。\n\n会议于2024年4月23日召开。\n")
    problems = unused_facts(facts, ["工作成效"], doc)
    assert [str(p) for p in problems] == [
        f"{facts.path}:7:9: 工作成效[2].事项[1]: 未使用：“认定代表人士865名”没有写进文稿"]


def test_sections_the_kind_does_not_read_are_ignored(tmp_path):
    facts = sheet(tmp_path, SHEET)
    doc = parse_outline("建立示范点29个投入资金15万余元认定代表人士865名4月23日\n")
    assert unused_facts(facts, ["工作成效"], doc) == []
    assert [p.path for p in unused_facts(facts, ["其他"], doc)] == ["其他[1]"]


def test_values_folded_or_escaped_still_count_as_used(tmp_path):
    facts = sheet(tmp_path, '要点:\n  - "第一行\\n第二行"\n  - "# 重点 [x]{.待补}"\n')
    doc = parse_outline(escape("第一行\n第二行") + "\n\n" + escape("# 重点 [x]{.待补}") + "\n")
    assert unused_facts(facts, ["要点"], doc) == []


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
    doc = parse_outline("青禾区委统战部召开会议。\n")
    found = audit(facts, schema(tmp_path), doc, unprinted=["unit.region", "items.id"])
    assert [(p.path, p.line) for p in found.unused] == [("活动[2].内容", 8)]
    assert found.pending == []  # no placeholder in the draft


def test_a_misspelt_section_name_is_reported_not_silently_skipped(tmp_path):
    facts = sheet(tmp_path, AUDITED + "工作计画: 明年再办一次\n")
    planned = schema(tmp_path, SCHEMA + "plan: {label: 工作计划, type: string}\n")
    found = audit(facts, planned, parse_outline("青禾区委统战部，枫岭市青禾区。召开会议。走访慰问。\n"),
                  unprinted=["items.id"])
    assert [(p.path, p.line) for p in found.unused] == [("工作计画", 10)]
    assert "是否想写“工作计划”" in found.unused[0].message
    assert strict_problems(found)  # --strict refuses it like any unused fact


def test_audit_of_a_mount_reads_only_the_chosen_item(tmp_path):
    facts = sheet(tmp_path, AUDITED)
    doc = parse_outline("走访慰问，地点[地点]{.待补}。\n")
    found = audit(facts, schema(tmp_path, MOUNTED), doc, mounts={"event": ("活动", 1)},
                  unprinted=["unit", "event.id"])
    assert found.unused == []  # 活动[1] is not the chosen event: not this draft's business
    other = audit(facts, schema(tmp_path, MOUNTED), parse_outline("召开会议。\n"), mounts={"event": ("活动", 1)},
                  unprinted=["unit", "event.id"])
    assert [(p.path, p.line) for p in other.unused] == [("活动[2].内容", 8)]
    assert [str(p) for p in found.pending] == [
        f"{facts.path}:7:5: 活动[2].地点: 待补：事实表没有填写，文稿中显示为【待补：地点】"]


def test_an_optional_field_left_blank_is_pointed_at_where_it_stands(tmp_path):
    facts = sheet(tmp_path, AUDITED.replace("    内容: 走访慰问\n", "    内容: 走访慰问\n    地点:\n"))
    doc = parse_outline("走访慰问，地点[地点]{.待补}。\n")
    found = audit(facts, schema(tmp_path, MOUNTED), doc, mounts={"event": ("活动", 1)}, unprinted=["unit", "event.id"])
    assert [str(p) for p in found.pending] == [
        f"{facts.path}:9:5: 活动[2].地点: 待补：事实表没有填写，文稿中显示为【待补：地点】"]


def test_placeholders_of_a_section_not_written_name_its_path(tmp_path):
    facts = sheet(tmp_path, "单位:\n  全称: 青禾区委统战部\n")
    doc = parse_outline("青禾区委统战部[附记]{.待补}\n")
    found = audit(facts, schema(tmp_path), doc)
    assert [(p.path, p.line) for p in found.pending] == [("附记", None)]
    problems = strict_problems(found)
    assert problems[-1].message == "--strict：文稿有 1 处待补，没有写出文件"
    assert strict_problems(audit(facts, schema(tmp_path), parse_outline("青禾区委统战部\n"))) == []


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
    assert unused_facts(facts, ["排比框架"], parse_outline("## 做强基层\n\n## 做好基础\n")) == []
    assert len(unused_facts(facts, ["排比框架"], parse_outline("## 织密网络\n"))) == 1


def test_punctuation_a_template_changes_still_counts_as_printed(tmp_path):
    facts = sheet(tmp_path, "标题展开: 压实责任链条，坚持上下贯通\n结束: 2024-06-20\n")
    doc = parse_outline("压实责任链条\u3000坚持上下贯通\n\n6月18日至20日\n")
    assert unused_facts(facts, ["标题展开", "结束"], doc) == []
