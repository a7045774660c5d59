"""Tests for drafter.validate: schema format, renaming, Chinese messages at typed positions, Missing."""
from __future__ import annotations

import copy
import datetime
import pickle
import textwrap
from pathlib import Path

import pytest

from drafter.errors import DrafterError
from drafter.facts import load_sheet
from drafter.validate import Missing, load_schema, validate

SCHEMA = """\
year:
  label: 年度
  aliases: [年份]
  type: integer
  required: true
  example: 2024
  description: 事实表所属年度
unit:
  label: 单位
  type: dict
  required: true
  schema:
    full_name: {label: 全称, aliases: [单位全称], type: string, required: true}
    short_name: {label: 简称, type: string}
areas:
  label: 工作领域
  type: list
  minlength: 3
  maxlength: 4
  schema:
    type: dict
    schema:
      heading: {label: 排比标题, type: string, required: true}
      heading_tail: {label: 标题展开, type: string}
      points:
        label: 要点
        type: list
        schema: {type: dict, schema: {text: {label: 内容, type: string, required: true}}}
guidance:
  label: 遵循
  type: list
  one_or_more: true
  schema: {type: string}
speech:
  label: 汇报
  type: dict
  schema:
    meeting:
      label: 会议
      type: dict
      schema:
        date: {label: 日期, type: date, required: true}
        place: {label: 地点, type: string}
        size: {label: 人数, type: integer, min: 10, max: 500}
        public: {label: 公开, type: boolean}
        kind: {label: 会议类型, type: string, allowed: [全体会议, 专题会议]}
        code: {label: 文号, type: string, regex: '[A-Z]{2}\\d{3}'}
        topics: {label: 议题, type: list, minlength: 2, schema: {type: string}}
"""

AREAS = """\
工作领域:
  - 排比标题: 甲
  - 排比标题: 乙
  - 排比标题: 丙
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run(tmp_path: Path, sheet: str, schema: str = SCHEMA) -> dict:
    schema_file = write(tmp_path, "s.yaml", schema)
    return validate(load_sheet(write(tmp_path, "2024.yaml", sheet)), load_schema([schema_file]))


def problems(tmp_path: Path, sheet: str, schema: str = SCHEMA) -> list:
    """The problems as staff see them, with the file name shortened to f."""
    with pytest.raises(DrafterError) as caught:
        run(tmp_path, sheet, schema)
    prefix = str(tmp_path / "2024.yaml")
    return [str(p).replace(prefix, "f") for p in caught.value.problems]


def schema_problems(tmp_path: Path, *texts: str) -> list:
    paths = [write(tmp_path, f"schema{index}.yaml", text) for index, text in enumerate(texts)]
    with pytest.raises(DrafterError) as caught:
        load_schema(paths)
    return [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems]


VALID = "年度: 2024\n单位:\n  全称: 某某区人民政府\n" + AREAS


# ----------------------------------------------------------------------------- renaming


def test_chinese_labels_aliases_and_canonical_keys_are_renamed(tmp_path):
    facts = run(
        tmp_path,
        """\
        单位:
          单位全称: 某某区人民政府
        年份: "2024"
        areas:
          - heading: 甲
            要点:
              - 内容: 第一点
          - 排比标题: 乙
            标题展开: 展开
          - 排比标题: 丙
        """,
    )
    assert list(facts)[:3] == ["unit", "year", "areas"]  # the writer's order first
    assert facts["year"] == 2024
    assert facts["unit"]["full_name"] == "某某区人民政府"
    assert facts["areas"][0]["points"][0] == {"text": "第一点"}
    assert facts["areas"][1]["heading_tail"] == "展开"


def test_unknown_top_level_keys_are_ignored(tmp_path):
    facts = run(tmp_path, VALID + "新闻稿:\n  标题: 别的文种用的\n")
    assert "新闻稿" not in facts
    assert facts["year"] == 2024


def test_unknown_nested_key_suggests_the_closest_field(tmp_path):
    sheet = VALID.replace("  - 排比标题: 乙\n", "  - 排比标题: 乙\n    要d点: []\n")
    assert problems(tmp_path, sheet) == [
        "f:7:5: 工作领域[2].要d点: 未知字段“要d点”，是否想写“要点”？可用字段：排比标题、标题展开、要点"
    ]


def test_unknown_nested_key_without_a_close_match(tmp_path):
    sheet = VALID.replace("  全称: 某某区人民政府\n", "  全称: 某某区人民政府\n  电话: 1234\n")
    assert problems(tmp_path, sheet) == ["f:4:3: 单位.电话: 未知字段“电话”，可用字段：全称、简称"]


def test_alias_and_canonical_key_together_name_both_lines(tmp_path):
    assert problems(tmp_path, VALID + "year: 2023\n") == [
        "f:8:1: year: 与第 1 行的“年度”是同一字段“年度”，只能写一个"
    ]
    sheet = VALID.replace("  全称: 某某区人民政府\n", "  全称: 甲\n  单位全称: 乙\n")
    assert problems(tmp_path, sheet) == ["f:4:3: 单位.单位全称: 与第 3 行的“全称”是同一字段“全称”，只能写一个"]


def test_one_or_more_accepts_a_single_string(tmp_path):
    assert run(tmp_path, VALID + "遵循: 新思想\n")["guidance"] == ["新思想"]
    assert run(tmp_path, VALID + "遵循: [甲, 乙]\n")["guidance"] == ["甲", "乙"]


# ----------------------------------------------------------------------------- messages


def test_missing_required_field_points_at_the_parent_key(tmp_path):
    sheet = "年度: 2024\n单位:\n  简称: 某区\n" + AREAS
    assert problems(tmp_path, sheet) == ["f:2:1: 单位.全称: 缺少必填字段“全称”"]


def test_missing_required_field_in_a_list_item(tmp_path):
    sheet = VALID.replace("  - 排比标题: 乙\n", "  - 标题展开: 乙\n")
    assert problems(tmp_path, sheet) == ["f:6:5: 工作领域[2].排比标题: 缺少必填字段“排比标题”"]


def test_missing_required_top_level_field(tmp_path):
    assert problems(tmp_path, "单位:\n  全称: 某\n" + AREAS) == ["f: 年度: 缺少必填字段“年度”"]  # no line: it is nowhere


def test_blank_required_field(tmp_path):
    sheet = VALID.replace("全称: 某某区人民政府", "全称:")
    assert problems(tmp_path, sheet) == ["f:3:3: 单位.全称: 必填字段“全称”没有填写"]


def test_empty_required_string(tmp_path):
    sheet = VALID.replace("全称: 某某区人民政府", "全称: ''")
    assert problems(tmp_path, sheet) == ["f:3:7: 单位.全称: 不能为空"]


def test_empty_optional_string_is_refused(tmp_path):
    """'' is no fact: an optional one is left out by deleting its line (a phrase, by 不写)."""
    sheet = VALID.replace("  全称: 某某区人民政府\n", "  全称: 某某区人民政府\n  简称: ''\n")
    (problem,) = problems(tmp_path, sheet)
    assert problem.startswith("f:4:7: 单位.简称: 是空的") and "整行删掉" in problem


def test_blank_list_item(tmp_path):
    sheet = VALID + "遵循:\n  - 甲\n  -\n"
    assert problems(tmp_path, sheet) == ["f:10:4: 遵循[2]: 这一项是空的，请填写内容或删去这一项"]


def test_wrong_type_names_the_expected_type_in_chinese(tmp_path):
    sheet = "年度: 2024\n单位: 某某区人民政府\n工作领域: 甲\n"
    assert problems(tmp_path, sheet) == [
        "f:2:5: 单位: 应为映射（键: 值），实际是文字“某某区人民政府”",
        "f:3:7: 工作领域: 应为列表，实际是文字“甲”",
    ]


def test_wrong_type_of_a_nested_list_item(tmp_path):
    sheet = VALID.replace("  - 排比标题: 乙\n", "  - 排比标题: 乙\n    要点:\n      - 内容: 一\n      - 二\n")
    assert problems(tmp_path, sheet) == ["f:9:9: 工作领域[2].要点[2]: 应为映射（键: 值），实际是文字“二”"]


def test_list_length_range(tmp_path):
    sheet = VALID + "  - 排比标题: 丁\n  - 排比标题: 戊\n"
    assert problems(tmp_path, sheet) == ["f:4:1: 工作领域: 应有 3～4 项，实际 5 项"]


def test_list_minimum_length_only(tmp_path):
    sheet = VALID + "汇报:\n  会议:\n    日期: 2024-04-23\n    议题: [甲]\n"
    assert problems(tmp_path, sheet) == ["f:11:5: 汇报.会议.议题: 至少应有 2 项，实际 1 项"]


def meeting(**facts: str) -> str:
    lines = "".join(f"    {key}: {value}\n" for key, value in facts.items())
    return VALID + "汇报:\n  会议:\n" + lines


def test_allowed_values(tmp_path):
    assert problems(tmp_path, meeting(日期="2024-04-23", 会议类型="小会")) == [
        "f:11:11: 汇报.会议.会议类型: “小会”不是可选的值；可选：“全体会议”、“专题会议”"
    ]


def test_regex(tmp_path):
    assert problems(tmp_path, meeting(日期="2024-04-23", 文号="AB12")) == [
        "f:11:9: 汇报.会议.文号: “AB12”的格式不对（应符合 [A-Z]{2}\\d{3}）"
    ]


def test_min_and_max(tmp_path):
    assert problems(tmp_path, meeting(日期="2024-04-23", 人数="5")) == ["f:11:9: 汇报.会议.人数: 不能小于 10，实际是 5"]
    assert problems(tmp_path, meeting(日期="2024-04-23", 人数="501")) == [
        "f:11:9: 汇报.会议.人数: 不能大于 500，实际是 501"
    ]


def test_integer_coercion(tmp_path):
    assert run(tmp_path, VALID.replace("年度: 2024", "年度: '0012'"))["year"] == 12
    assert run(tmp_path, VALID.replace("年度: 2024", "年度: ２０２４"))["year"] == 2024
    assert problems(tmp_path, VALID.replace("年度: 2024", "年度: 29个")) == ["f:1:5: 年度: “29个”不是整数"]


def test_boolean_coercion(tmp_path):
    words = [("是", True), ("否", False), ("True", True), ("no", False), ("对", True), ("错", False)]
    for word, expected in words:
        assert run(tmp_path, meeting(日期="2024-04-23", 公开=word))["speech"]["meeting"]["public"] is expected
    assert problems(tmp_path, meeting(日期="2024-04-23", 公开="也许")) == [
        "f:11:9: 汇报.会议.公开: 应填“是”或“否”，实际是“也许”"
    ]


@pytest.mark.parametrize(
    "text", ["2024-04-23", "2024-4-23", "2024/4/23", "2024.4.23", "2024年4月23日", "2024 年 4 月 23 日"]
)
def test_date_formats(tmp_path, text):
    facts = run(tmp_path, meeting(日期=f"'{text}'"))
    assert facts["speech"]["meeting"]["date"] == datetime.date(2024, 4, 23)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2024-13-40", "月份应为 1～12"),
        ("2023-2-29", "2023年2月只有 28 天"),
        ("2024年4月31日", "2024年4月只有 30 天"),
        ("2024-04-00", "日应为 1～30"),
        ("4月23", "请写成 2024-04-23、2024/4/23、2024.4.23 或 2024年4月23日；事实表写了年度时也可只写 4月23日"),
        ("2024-4/23", "请写成 2024-04-23、2024/4/23、2024.4.23 或 2024年4月23日；事实表写了年度时也可只写 4月23日"),
    ],
)
def test_impossible_dates_say_why(tmp_path, text, reason):
    assert problems(tmp_path, meeting(日期=text)) == [f"f:10:9: 汇报.会议.日期: “{text}”不是有效的日期（{reason}）"]


def test_all_problems_at_once_sorted_by_line(tmp_path):
    sheet = "单位:\n  简称: 某\n  邮编: 1\n工作领域: []\n年度: 二〇二四\n"
    assert problems(tmp_path, sheet) == [
        "f:1:1: 单位.全称: 缺少必填字段“全称”",
        "f:3:3: 单位.邮编: 未知字段“邮编”，可用字段：全称、简称",
        "f:4:1: 工作领域: 应有 3～4 项，实际 0 项",
        "f:5:5: 年度: “二〇二四”不是整数",
    ]


# ----------------------------------------------------------------------------- Missing


def test_absent_optional_fields_become_missing(tmp_path):
    facts = run(tmp_path, VALID + "汇报:\n  会议:\n    日期: 2024-04-23\n    地点: ~\n")
    place = facts["speech"]["meeting"]["place"]
    assert isinstance(place, Missing)
    assert (place.label, place.path, str(place)) == ("地点", "汇报.会议.地点", "【待补：地点】")
    assert isinstance(facts["unit"]["short_name"], Missing)
    assert facts["areas"][1]["heading_tail"].path == "工作领域[2].标题展开"
    assert isinstance(facts["guidance"], Missing)


def test_missing_is_falsy_empty_and_iterates_nothing(tmp_path):
    points = run(tmp_path, VALID)["areas"][0]["points"]
    assert not points
    assert len(points) == 0
    assert list(points) == []
    assert "x" not in points


def test_absent_optional_dict_gives_missing_sub_fields(tmp_path):
    speech = run(tmp_path, VALID)["speech"]
    assert isinstance(speech, Missing) and not speech
    place = speech.meeting.place
    assert isinstance(place, Missing)
    assert str(place) == "【待补：地点】" and place.path == "汇报.会议.地点"
    assert speech["meeting"]["date"].label == "日期"
    with pytest.raises(AttributeError):
        speech.meeting.nonexistent
    with pytest.raises(KeyError):
        speech["会议"]  # only canonical names, as templates use
    with pytest.raises(AttributeError):
        speech.meeting.place.anything  # a string field has no sub-fields


def test_missing_hides_private_names_and_survives_copy_and_pickle(tmp_path):
    speech = run(tmp_path, VALID)["speech"]
    for name in ("_fields_x", "__html__", "__deepcopy__", "_meeting"):
        with pytest.raises(AttributeError):
            getattr(speech, name)
    assert copy.deepcopy(speech).meeting.place.path == "汇报.会议.地点"
    assert pickle.loads(pickle.dumps(speech)).meeting.label == "会议"


def test_missing_equals_only_missing():
    one, other = Missing("甲", "甲"), Missing("乙", "乙")
    assert one == one and one == other
    assert one != "" and one != None and one != 0  # noqa: E711
    assert len({one, other}) == 1
    assert repr(one) == "Missing('甲')"


# ----------------------------------------------------------------------------- schemas


def test_schema_merge_adds_fields_and_overrides_rules(tmp_path):
    base = """\
    unit:
      label: 单位
      type: dict
      required: true
      schema:
        full_name: {label: 全称, type: string, required: true}
        short_name: {label: 简称, type: string}
    """
    style = """\
    unit:
      schema:
        short_name: {required: true, aliases: [单位简称]}
        code: {label: 代码, type: integer}
    topic: {label: 主题, type: string, required: true}
    """
    paths = [write(tmp_path, "base.yaml", base), write(tmp_path, "style.yaml", style)]
    schema = load_schema(paths)
    assert schema.files == tuple(str(p) for p in paths)
    sheet = load_sheet(write(tmp_path, "2024.yaml", "单位:\n  全称: 甲\n  单位简称: 乙\n  代码: '7'\n主题: 丙\n"))
    assert validate(sheet, schema) == {
        "unit": {"full_name": "甲", "short_name": "乙", "code": 7},
        "topic": "丙",
    }
    sheet = load_sheet(write(tmp_path, "2024.yaml", "单位:\n  全称: 甲\n主题: 丙\n"))
    with pytest.raises(DrafterError, match="单位.简称: 缺少必填字段“简称”"):
        validate(sheet, schema)


def test_schema_merge_replaces_a_field_whose_type_changes(tmp_path):
    base = "when: {label: 时间, type: dict, schema: {year: {label: 年, type: integer}}}\n"
    style = "when: {label: 时间, type: date}\n"
    schema = load_schema([write(tmp_path, "a.yaml", base), write(tmp_path, "b.yaml", style)])
    assert validate(load_sheet(write(tmp_path, "f.yaml", "时间: 2024-4-23\n")), schema) == {
        "when": datetime.date(2024, 4, 23)
    }


def test_broken_schema_yaml_names_file_and_line(tmp_path):
    (problem,) = schema_problems(tmp_path, "year:\n  label: 年度\n  type integer\n  required: true\n")
    assert problem.startswith("schema0.yaml:3:3: ")


def test_schema_field_without_label(tmp_path):
    assert schema_problems(tmp_path, "year:\n  type: integer\n") == [
        "schema0.yaml:1:1: year: 缺少 label（字段的中文名）"
    ]


def test_schema_unknown_rule_and_type(tmp_path):
    text = """\
    unit:
      label: 单位
      type: dict
      schema:
        name: {label: 名称, typo: string}
        code: {label: 代码, type: number}
    """
    assert schema_problems(tmp_path, text) == [
        "schema0.yaml:5:23: unit.schema.name.typo: 未知规则“typo”，是否想写“type”？",
        "schema0.yaml:6:23: unit.schema.code.type: 未知类型“number”，可用类型：string、integer、boolean、date、list、dict",
    ]


def test_schema_defaults_are_refused_facts_come_from_the_sheet(tmp_path):
    text = """\
    unit:
      label: 单位
      type: dict
      schema:
        name: {label: 名称, type: string, default: 某某单位}
    """
    (problem,) = schema_problems(tmp_path, text)
    assert problem.startswith("schema0.yaml:5:") and "unit.schema.name.default" in problem and "【待补】" in problem


def test_schema_rule_value_cerberus_rejects_is_located(tmp_path):
    good = "year: {label: 年度, type: integer}\n"
    bad = """\
    areas:
      label: 领域
      type: list
      schema:
        type: dict
        schema:
          heading: {label: 标题, minlength: 很长}
    """
    assert schema_problems(tmp_path, good, bad) == [
        "schema1.yaml:7:28: areas.schema.schema.heading.minlength: "
        "规则“minlength”的值应是整数（must be of integer type）"
    ]


def test_schema_names_and_labels_must_be_usable(tmp_path):
    text = """\
    年度: {label: 年度, type: integer}
    short: {label: 简称, type: string}
    abbr: {label: 缩写, aliases: [简称], type: string}
    """
    assert schema_problems(tmp_path, text) == [
        "schema0.yaml:1:1: 年度: 字段名“年度”应是英文标识符（字母开头，只含字母、数字、下划线）；中文名请写在 label 里",
        "schema0.yaml:3:1: abbr: “简称”已是字段“short”的名称或别名，不能重复使用",
    ]


def test_schema_bad_regex_and_min(tmp_path):
    text = "code: {label: 文号, type: string, regex: '[AB'}\nsize: {label: 人数, type: integer, min: '10'}\n"
    problems_found = schema_problems(tmp_path, text)
    assert problems_found[0].startswith("schema0.yaml:1:33: code.regex: 正则表达式写错了")
    assert problems_found[1] == "schema0.yaml:2:34: size.min: min 应是整数，实际是“10”"


def test_a_date_without_its_year_takes_the_sheets_year():
    """A release gives 3月28日; the sheet's 年度 says which year (issue 13, news leads)."""
    from drafter.fact_values import parse_date, with_year

    assert parse_date(with_year("3月28日", "2024")) == datetime.date(2024, 3, 28)
    assert parse_date(with_year("03-28", 2024)) == datetime.date(2024, 3, 28)
    assert with_year("2023-03-28", 2024) == "2023-03-28"  # a year written stays
    assert with_year("3月28日", None) == "3月28日"  # no 年度: refused as before, with the hint
    with pytest.raises(ValueError, match="只写 4月23日"):
        parse_date("3月28日")


def test_a_yearless_event_date_drafts_in_the_sheets_year(tmp_path):
    from click.testing import CliRunner

    from drafter.cli import cli

    sample = Path(__file__).resolve().parent.parent / "facts" / "2024.yaml"
    text = sample.read_text(encoding="utf-8").replace("    日期: 2024-03-28 ", "    日期: 3月28日 ", 1)
    assert "日期: 3月28日" in text
    sheet = tmp_path / "2024.yaml"
    sheet.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["news", str(sheet), "--event", "2024-01", "-o", "-", "--format", "txt"])
    assert result.exit_code == 0 and "3月28日上午，" in result.output
