"""Bad input caught (audit-reliability.md, Area 2): each test names the audit row it covers.

Rows the audit found ok are guarded here too where the changes came near them (2.38, 2.39, 2.49,
2.58, 2.62).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter import events, facts, textfile
from drafter.cli import cli
from drafter.errors import DrafterError
from drafter.facts import MAX_VALUE_CHARS, load_sheet
from drafter.pipeline import normalise_sheet
from drafter.templates import builtin_templates, find_pack, template_roots
from drafter.validate import load_schema, validate

SAMPLE_TEXT = (Path(__file__).resolve().parent.parent / "facts" / "2024.yaml").read_text(encoding="utf-8")
SPEECH_SCHEMA = builtin_templates() / "speech" / "schema.yaml"


def write(tmp_path: Path, content, name: str = "2024.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def edited(old: str, new: str) -> str:
    assert SAMPLE_TEXT.count(old) == 1, old
    return SAMPLE_TEXT.replace(old, new)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def problems_of(action, *args) -> list:
    with pytest.raises(DrafterError) as caught:
        action(*args)
    return caught.value.problems


def validated(path: Path, kind: str = "speech", style: str = "report", mounts=None) -> dict:
    return validate(normalise_sheet(load_sheet(path)), load_schema(find_pack(kind, style).schema_files), mounts)


# --------------------------------------------------------------------------- years (2.59–2.61)


@pytest.mark.parametrize("year", ["0012", "-2024", "3024"])
def test_2_59_2_60_a_year_that_is_not_four_digits_is_refused(tmp_path, year):
    path = write(tmp_path, edited("年度: 2024  ", f"年度: {year}  "))
    (problem,) = problems_of(validated, path)
    assert (problem.line, problem.column, problem.path) == (21, 5, "年度")
    assert problem.message == f"应是四位数的年份（1900～2100），如 2024，实际是“{year}”"


def test_2_61_five_thousand_digits_get_a_chinese_message(tmp_path):
    path = write(tmp_path, edited("年度: 2024  ", "年度: " + "2" * 5000 + "  "))
    (problem,) = problems_of(validated, path)
    assert (problem.line, problem.path) == (21, "年度")
    assert problem.message == ("“22222222222222222222…”有 5000 位数字，太长了，不是可用的整数；"
                               "应是四位数的年份（1900～2100），如 2024")


def test_2_59_the_plan_year_is_a_year_too(tmp_path):
    text = edited("  年度: 2025    ", "  年度: 0012    ")
    (problem,) = problems_of(validated, write(tmp_path, text), "report", "summary")
    assert (problem.line, problem.path) == (line_of(text, "  年度: 0012"), "工作计划.年度")
    assert problem.message == "应是四位数的年份（1900～2100），如 2025，实际是“0012”"


@pytest.mark.parametrize("year", ['"2024"', "+2024", "２０２４"])
def test_2_58_guard_quoted_signed_and_full_width_years_are_still_2024(tmp_path, year):
    assert validated(write(tmp_path, edited("年度: 2024  ", f"年度: {year}  ")))["year"] == 2024


def test_2_62_guard_numbers_of_the_indicators_stay_as_written(tmp_path):
    path = write(tmp_path, edited("数值: 38名  ", "数值: 0012  "))
    assert validated(path, "report", "summary")["summary"]["indicators"][0]["value"] == "0012"


# --------------------------------------------------------------------------- end before start (2.67)


def test_2_67_an_end_date_before_its_start_is_refused_at_the_end_date(tmp_path):
    text = edited("结束日期: 2024-06-20", "结束日期: 2024-06-10")
    path = write(tmp_path, text)
    (problem,) = problems_of(validated, path, "news", "training", {"event": ("活动", 1)})
    assert (problem.line, problem.column, problem.path) == (249, 5, "活动[2].结束日期")
    assert problem.message == "结束日期（2024年6月10日）早于日期（2024年6月18日，第 248 行）"


def test_2_67_an_end_date_on_its_start_day_is_fine_and_a_bad_one_is_reported_once(tmp_path):
    same_day = write(tmp_path, edited("结束日期: 2024-06-20", "结束日期: 2024-06-18"))
    assert validated(same_day, "news", "training", {"event": ("活动", 1)})["event"]["end_date"].day == 18
    bad = write(tmp_path, edited("结束日期: 2024-06-20", "结束日期: 2024-06-31"))
    (problem,) = problems_of(validated, bad, "news", "training", {"event": ("活动", 1)})
    assert problem.message == "“2024-06-31”不是有效的日期（2024年6月只有 30 天）"


def test_2_67_not_before_must_name_a_sibling_of_the_same_type(tmp_path):
    schema = write(tmp_path, """\
        start: {label: 开始, type: date}
        end: {label: 结束, type: date, not_before: begin}
        count: {label: 人数, type: string, not_before: start}
        size: {label: 规模, type: integer, not_before: start, message: ''}
        """.replace("        ", ""), "schema.yaml")
    assert [str(p).replace(str(tmp_path) + "/", "") for p in problems_of(load_schema, [schema])] == [
        "schema.yaml:2:30: end.not_before: not_before 应是同级另一个同类型字段的英文名，“begin”不是",
        "schema.yaml:3:34: count.not_before: not_before 应是同级一个字段的英文名，只能用于 date 或 integer 类型",
        "schema.yaml:4:34: size.not_before: not_before 应是同级另一个同类型字段的英文名，“start”不是",
        "schema.yaml:4:53: size.message: message 应是非空的文字：值不合要求时告诉填写人的话",
    ]


# --------------------------------------------------------------------------- placeholders (2.81)


def test_2_81_placeholder_words_are_blanks_with_a_hint_at_their_line(tmp_path):
    text = edited("  时段: 今年以来  ", "  时段: 暂无  ").replace("    成效: 使全区统战工作“网更密”", "    成效: 无。")
    sheet = normalise_sheet(load_sheet(write(tmp_path, text)))
    assert sheet.data["汇报"]["时段"] is None and sheet.data["工作领域"][0]["成效"] is None
    assert [(p.line, p.column, p.path, p.message) for p in sheet.warnings] == [
        (42, 7, "汇报.时段", "“暂无”不是事实，按没有填写处理（文稿需要它时显示为【待补】）；不知道的可选项请整行删掉"),
        (68, 9, "工作领域[1].成效", "“无。”不是事实，按没有填写处理（文稿需要它时显示为【待补】）；不知道的可选项请整行删掉"),
    ]
    facts_ = validate(sheet, load_schema([SPEECH_SCHEMA]))
    assert str(facts_["speech"]["period"]) == "【待补：时段】"
    assert str(facts_["areas"][0]["effect"]) == "【待补：成效】"


def test_2_81_a_required_fact_written_as_a_placeholder_names_the_word(tmp_path):
    path = write(tmp_path, edited("  全称: 中共枫岭市青禾区委统战部  ", "  全称: 待定  "))
    (problem,) = problems_of(validated, path)
    assert (problem.line, problem.path) == (24, "单位.全称")
    assert problem.message == "必填字段“全称”没有填写（“待定”按没有填写处理）"


def test_2_81_words_that_only_contain_a_placeholder_are_facts(tmp_path):
    text = edited("  时段: 今年以来  ", "  时段: 无论何时  ")
    sheet = normalise_sheet(load_sheet(write(tmp_path, text)))
    assert sheet.data["汇报"]["时段"] == "无论何时" and sheet.warnings == []


# --------------------------------------------------------------------------- invisible characters (2.33–2.36)


@pytest.mark.parametrize("key, message", [
    ('"简称\\x01"', "字段名“简称”末尾有一个控制字符（U+0001），请删掉它"),
    ("简\u200b称", "字段名“简称”中间有一个零宽空格（U+200B），请删掉它"),
    ("简称\u3000", "字段名“简称　”末尾有一个全角空格（U+3000），请删掉它"),
    ("\u202e简称", "字段名“简称”开头有一个从右到左覆盖（U+202E），请删掉它"),
], ids=["2.33 control", "2.34 zero-width space", "2.35 ideographic space", "bidi override"])
def test_2_33_to_2_35_an_invisible_character_in_a_key_is_named_at_the_key(tmp_path, key, message):
    (problem,) = problems_of(load_sheet, write(tmp_path, edited("  简称: 区委统战部", f"  {key}: 区委统战部")))
    assert (problem.line, problem.column, problem.path, problem.message) == (25, 3, "单位", message)


@pytest.mark.parametrize("value, column, code, name", [
    ("区委\u200b统战部", 9, "U+200B", "零宽空格"),
    ("区委统\u200d战部", 10, "U+200D", "零宽连字"),
    ("区委\u202e统战部", 9, "U+202E", "从右到左覆盖"),
    ('"区委\\u2066统战部"', 7, "U+2066", "从左到右隔离"),  # an escape: at the value
    ("区委\ufeff统战部", 9, "U+FEFF", "零宽不换行空格（BOM）"),
], ids=["U+200B", "U+200D", "U+202E", "escaped U+2066", "U+FEFF inside"])
def test_2_36_invisible_characters_in_values_are_refused_where_they_are(tmp_path, value, column, code, name):
    (problem,) = problems_of(load_sheet, write(tmp_path, edited("  简称: 区委统战部", f"  简称: {value}")))
    assert (problem.line, problem.column, problem.path) == (25, column, "单位.简称")
    assert problem.message == (f"含有看不见的字符 {code}（{name}），常见于从网页、微信或 Word 复制的文字，"
                               "会原样带进文稿；请删掉它（看不到时可删掉这段文字重新输入）")


def test_2_36_noncharacters_are_not_text(tmp_path):
    text = edited("    概述: 坚持党对", "    概述: |\n      第一行\n      坚持\ufdd5党对")
    (problem,) = problems_of(load_sheet, write(tmp_path, text))
    assert (problem.line, problem.column, problem.path) == (69, 9, "工作领域[1].概述")
    assert problem.message == "含有 U+FDD5，它不是文字（Unicode 非字符，drafter 内部用作标记），请删掉它"


def test_2_38_guard_tab_c1_and_no_break_space_in_values_are_kept(tmp_path):
    sheet = load_sheet(write(tmp_path, edited("  简称: 区委统战部", '  简称: "区委\\t统战\\x9f部\\u00a0"')))
    assert sheet.data["单位"]["简称"] == "区委\t统战\x9f部\u00a0"


# --------------------------------------------------------------------------- encodings (2.22)


def test_2_22_a_line_in_another_encoding_is_reported_at_that_line(tmp_path):
    raw = SAMPLE_TEXT.encode("utf-8").replace("地区: 枫岭市青禾区".encode("utf-8"), "地区: ".encode("utf-8")
                                              + "枫岭市青禾区".encode("gbk"))
    (problem,) = problems_of(load_sheet, write(tmp_path, raw))
    assert (problem.line, problem.column) == (26, 7)
    assert problem.message.startswith("这里有不是 UTF-8 编码的文字（常见于从 GBK 编码的文件复制来的内容）")


def test_2_18_guard_a_gbk_sheet_is_still_read_with_a_warning(tmp_path):
    sheet = load_sheet(write(tmp_path, SAMPLE_TEXT.encode("gbk")))
    assert sheet.data["单位"]["地区"] == "枫岭市青禾区"
    assert "GB18030" in sheet.warnings[0].message


# --------------------------------------------------------------------------- files (2.75)


def fifo_problems(fifo: Path, action, *args) -> list:
    """The problems ``action`` reports for a FIFO nobody writes to, within 5 s (a reader that opens
    it is given an end of file afterwards, so that a failing test does not hang)."""
    os.mkfifo(fifo)
    outcome = []
    reader = threading.Thread(target=lambda: outcome.append(problems_of(action, *args)), daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(5)
    assert outcome, "still waiting for the FIFO after 5 s"
    return outcome[0]


def test_2_75_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "2024.yaml"
    (problem,) = fifo_problems(fifo, load_sheet, fifo)
    assert (problem.file, problem.message) == (str(fifo), "这不是普通文件（而是设备、管道等特殊文件），无法读取")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_2_75_devices_are_refused_before_reading(device):
    (problem,) = problems_of(load_sheet, Path(device))
    assert (problem.file, problem.message) == (device, "这不是普通文件（而是设备、管道等特殊文件），无法读取")


def test_2_75_a_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "2024.yaml"
    with open(path, "wb") as stream:
        stream.truncate(textfile.MAX_FILE_BYTES + 1)  # sparse: nothing written
    (problem,) = problems_of(load_sheet, path)
    assert problem.message == "文件太大：超过 16 MB 的上限，事实表不会这么大，请检查是否选错了文件"


def test_2_75_a_file_that_grows_after_its_size_was_taken_is_read_no_further(tmp_path, monkeypatch):
    path = tmp_path / "2024.yaml"
    path.write_bytes(b"a: 1\n" * (textfile.MAX_FILE_BYTES // 5 + 1))
    small = os.stat_result((*os.stat(path)[:6], 10, *os.stat(path)[7:]))
    monkeypatch.setattr(textfile.os, "stat", lambda *args, **kwargs: small)
    (problem,) = problems_of(load_sheet, path)
    assert problem.message.startswith("文件太大：超过 16 MB 的上限")


def test_2_75_schema_files_are_read_the_same_way(tmp_path):
    fifo = tmp_path / "schema.yaml"
    (problem,) = fifo_problems(fifo, load_schema, [fifo])
    assert (problem.file, problem.message) == (str(fifo), "这不是普通文件（而是设备、管道等特殊文件），无法读取")


# --------------------------------------------------------------------------- sizes (2.40, 2.41, 2.49)


def test_2_40_a_value_over_the_limit_is_refused_at_its_line(tmp_path):
    text = edited("  时段: 今年以来  ", "  时段: " + "年" * (MAX_VALUE_CHARS + 1) + "  ")
    (problem,) = problems_of(load_sheet, write(tmp_path, text))
    assert (problem.line, problem.column, problem.path) == (42, 7, "汇报.时段")
    assert problem.message == ("这一项有 2000001 个字符，超过 2000000 个的上限：一项事实不会这么长，"
                               "请检查是否误粘贴了整份文件")


def test_2_39_guard_a_value_of_a_million_characters_is_read(tmp_path):
    long_text = "很" * 1_040_001
    facts_ = validated(write(tmp_path, edited("  时段: 今年以来  ", f"  时段: {long_text}  ")))
    assert facts_["speech"]["period"] == long_text


def test_2_41_ten_thousand_work_areas_without_aliases_get_the_real_message(tmp_path):
    """No upper bound on work areas any more (a real document may have six); a mistake in the
    10,000th is still named at its own line."""
    start = SAMPLE_TEXT.index("工作领域:                          # 汇报主体")
    end = SAMPLE_TEXT.index("# ----", start)
    area = "  - {排比标题: 甲, 概述: 乙, 要点: [{内容: 一}, {内容: 二}, {内容: 三}]}\n"
    bad = "  - {排比标题: 甲, 概述: 乙, 要点: [{领句: 一}]}\n"
    path = write(tmp_path, SAMPLE_TEXT[:start] + "工作领域:\n" + area * 9_999 + bad + SAMPLE_TEXT[end:])
    (problem,) = problems_of(validated, path)
    assert (problem.line, problem.path) == (65 + 9_999, "工作领域[10000].要点[1].内容")


def test_2_41_a_file_of_too_many_nodes_says_what_and_where(tmp_path, monkeypatch):
    monkeypatch.setattr(facts, "MAX_NODES", 1_000)
    text = "年度: 2024\n标签:\n" + "  - 甲\n" * 2_000
    (problem,) = problems_of(load_sheet, write(tmp_path, text))
    # the 1,001st node: after the whole mapping, 年度 and 2024, 标签 and its list, the 996th item
    assert (problem.line, problem.column) == (2 + 996, 5)
    assert problem.message == ("内容过多：超过 1000 项（字段名和值），事实表不会有这么多内容，"
                               "请检查是否选错了文件或重复粘贴了大段内容（从这里起超出）")


def test_2_49_guard_an_alias_bomb_is_still_refused(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))
    (problem,) = problems_of(load_sheet, write(tmp_path, bomb))
    assert problem.message == "内容过多：展开别名（*名称）后超过 100000 项，可能是别名层层引用造成的，请检查文件"


# --------------------------------------------------------------------------- long event lists (2.43)


def many_visits(tmp_path: Path, count: int) -> Path:
    visit = "  - {类型: 慰问, 日期: 2024-01-01, 事项: 走访}\n"
    start = SAMPLE_TEXT.index("活动:\n") + len("活动:\n")
    return write(tmp_path, SAMPLE_TEXT[:start] + visit * count + SAMPLE_TEXT[start:])


def test_2_43_the_other_events_of_a_type_are_counted_not_all_listed(tmp_path):
    sheet = load_sheet(many_visits(tmp_path, 10_000))
    choice = events.choose(sheet, "慰问", events.load_catalog(template_roots()))
    others = choice.notes[1]
    assert len(others) < 1000
    assert others.startswith("其余：2024-01-01（慰问，2024年1月1日）；2024-01-01-2（慰问，2024年1月1日）；")
    assert "；……等共 10000 项。要写其中一项，请用 --event 编号，例如 --event 2024-01-01" in others


def test_2_43_a_listing_of_the_events_is_cut_short_too(tmp_path):
    sheet = load_sheet(many_visits(tmp_path, 10_000))
    problem = events.no_match(sheet, events.load_catalog(template_roots()))
    listing = problem.message.splitlines()
    assert len(listing) == 1 + events.SHOWN + 2
    assert listing[-2] == "  ……等共 10004 项"


# --------------------------------------------------------------------------- misspelt section (2.78)


def test_2_78_a_misspelt_required_section_is_pointed_at(tmp_path):
    text = edited("工作领域:                          # 汇报主体", "工作领预:                          # 汇报主体")
    path = write(tmp_path, text)
    result = CliRunner().invoke(cli, ["speech", str(path), "-o", str(tmp_path / "out.docx")])
    assert result.exit_code == 1
    assert result.output.strip() == f"{path}:64:1: 工作领域: 缺少必填字段“工作领域”：第 64 行的“工作领预”是否想写“工作领域”？"


def test_2_78_a_missing_section_without_a_look_alike_still_has_no_line(tmp_path):
    start = SAMPLE_TEXT.index("工作领域:                          # 汇报主体")
    end = SAMPLE_TEXT.index("# ----", start)
    (problem,) = problems_of(validated, write(tmp_path, SAMPLE_TEXT[:start] + SAMPLE_TEXT[end:]))
    assert (problem.line, problem.path, problem.message) == (None, "工作领域", "缺少必填字段“工作领域”")
