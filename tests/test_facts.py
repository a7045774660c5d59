"""Tests for drafter.facts: decoding, verbatim scalars, positions and Chinese error messages."""
from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from drafter.errors import DrafterError
from drafter.facts import (
    MAX_ALIAS_NODES,
    find_newest_sheet,
    format_path,
    load_sheet,
    load_yaml,
)


def write(folder: Path, text, name: str = "sheet.yaml") -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, loader=load_sheet) -> DrafterError:
    with pytest.raises(DrafterError) as caught:
        loader(path)
    return caught.value


SHEET = """\
年度: 2024
单位:
  全称: 某某区人民政府
工作领域:
  - 排比标题: 甲
    要点:
      - 内容: 第一点
      - 内容: 第二点
  - 排比标题: 乙
标签: [甲, 乙]
"""


def test_positions_of_every_node_are_one_based_line_and_column(tmp_path):
    sheet = load_sheet(write(tmp_path, SHEET))
    pos = sheet.positions
    assert pos[()] == (1, 1)
    assert pos[("年度",)] == (1, 5)
    assert pos[("单位",)] == (3, 3)  # the mapping starts at its first key
    assert pos[("单位", "全称")] == (3, 7)
    assert pos[("工作领域",)] == (5, 3)
    assert pos[("工作领域", 0)] == (5, 5)
    assert pos[("工作领域", 0, "要点", 1)] == (8, 9)
    assert pos[("工作领域", 0, "要点", 1, "内容")] == (8, 13)
    assert pos[("工作领域", 1, "排比标题")] == (9, 11)
    assert pos[("标签", 1)] == (10, 9)


def test_key_positions_point_at_the_keys(tmp_path):
    sheet = load_sheet(write(tmp_path, SHEET))
    assert sheet.key_positions[("单位",)] == (2, 1)
    assert sheet.key_positions[("单位", "全称")] == (3, 3)
    assert sheet.key_positions[("工作领域", 0, "要点", 1, "内容")] == (8, 9)
    assert ("工作领域", 0) not in sheet.key_positions  # list items have no key


def test_data_keeps_structure_and_order(tmp_path):
    sheet = load_sheet(write(tmp_path, SHEET))
    assert list(sheet.data) == ["年度", "单位", "工作领域", "标签"]
    assert sheet.data["工作领域"][0]["要点"][1] == {"内容": "第二点"}
    assert sheet.path == str(tmp_path / "sheet.yaml")
    assert sheet.warnings == []


def test_scalars_stay_exactly_as_written(tmp_path):
    text = (
        "金额: 4.50\n编号: 0012\n日期: 2024-13-40\n开关: true\n数量: 29个\n"
        "整数: 2024\n十六进制: 0x1F\n带引号: '007'\n空串: ''\n"
    )
    data = load_sheet(write(tmp_path, text)).data
    assert data == {
        "金额": "4.50",
        "编号": "0012",
        "日期": "2024-13-40",
        "开关": "true",
        "数量": "29个",
        "整数": "2024",
        "十六进制": "0x1F",
        "带引号": "007",
        "空串": "",
    }


def test_yaml_nulls_become_none(tmp_path):
    data = load_sheet(write(tmp_path, "a: ~\nb: null\nc:\nd: 'null'\n")).data
    assert data == {"a": None, "b": None, "c": None, "d": "null"}


def test_non_string_keys_become_their_text(tmp_path):
    data = load_sheet(write(tmp_path, "1: 一\ntrue: 是\n2024-01-01: 日\n")).data
    assert data == {"1": "一", "true": "是", "2024-01-01": "日"}


def test_crlf_line_endings_keep_positions(tmp_path):
    sheet = load_sheet(write(tmp_path, "甲: 1\r\n乙:\r\n  丙: 2\r\n".encode("utf-8")))
    assert sheet.positions[("乙", "丙")] == (3, 6)


def test_utf8_bom_is_accepted(tmp_path):
    sheet = load_sheet(write(tmp_path, codecs.BOM_UTF8 + "年度: 2024\n".encode("utf-8")))
    assert sheet.data == {"年度": "2024"}
    assert sheet.key_positions[("年度",)] == (1, 1)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_bom_is_decoded(tmp_path, encoding):
    raw = "单位: 某某区\n".encode(encoding)
    if encoding == "utf-16-be":
        raw = codecs.BOM_UTF16_BE + raw
    sheet = load_sheet(write(tmp_path, raw))
    assert sheet.data == {"单位": "某某区"}
    assert sheet.warnings == []


def test_gb18030_is_read_with_a_warning(tmp_path):
    path = write(tmp_path, "单位: 某某区人民政府\n".encode("gb18030"))
    sheet = load_sheet(path)
    assert sheet.data == {"单位": "某某区人民政府"}
    assert len(sheet.warnings) == 1
    warning = sheet.warnings[0]
    assert warning.file == str(path)
    assert "GB18030" in warning.message and "UTF-8" in warning.message


def test_undecodable_bytes_are_an_error(tmp_path):
    error = error_of(write(tmp_path, b"a: 1\nb: \xff\xff\xff\n"))
    assert len(error.problems) == 1
    assert error.problems[0].line == 2
    assert "编码" in str(error) and "UTF-8" in str(error)


def test_truncated_utf16_is_an_error(tmp_path):
    error = error_of(write(tmp_path, codecs.BOM_UTF16_LE + b"a\x00:"))
    assert "UTF-16" in str(error)


def test_duplicate_keys_are_all_reported_with_both_lines(tmp_path):
    text = "单位:\n  全称: 甲\n  简称: 乙\n  全称: 丙\n年度: 1\n年度: 2\n"
    path = write(tmp_path, text, "x.yaml")
    error = error_of(path)
    assert [str(p) for p in error.problems] == [
        f"{path}:4:3: 单位.全称: 重复的字段（第 2 行已有同名字段）",
        f"{path}:6:1: 年度: 重复的字段（第 5 行已有同名字段）",
    ]


def test_syntax_error_has_line_column_and_chinese_hint(tmp_path):
    path = write(tmp_path, "甲: 1\n乙: 说明: 内容\n")
    (problem,) = error_of(path).problems
    assert (problem.file, problem.line, problem.column) == (str(path), 2, 6)
    assert "冒号后缺少空格或缩进不一致" in problem.message
    assert "(mapping values are not allowed" in problem.message.replace("（", "(")


def test_tab_indentation_is_explained(tmp_path):
    (problem,) = error_of(write(tmp_path, "单位:\n\t全称: 甲\n")).problems
    assert (problem.line, problem.column) == (2, 1)
    assert "请用空格缩进，不要用制表符（Tab）" in problem.message


def test_unclosed_quote_points_at_the_opening_quote(tmp_path):
    (problem,) = error_of(write(tmp_path, '甲: 1\n乙: "没有结束\n丙: 2\n')).problems
    assert (problem.line, problem.column) == (2, 4)
    assert "引号没有闭合" in problem.message


def test_missing_colon_points_at_the_line_without_it(tmp_path):
    (problem,) = error_of(write(tmp_path, "甲: 1\n乙\n丙: 2\n")).problems
    assert problem.line == 2
    assert "缺少冒号" in problem.message and "could not find expected ':'" in problem.message


def test_a_nested_field_without_its_colon_is_found_above_where_yaml_stops(tmp_path):
    """YAML reads “全称 中共……” as text and only stops at the next field; the message names the line typed."""
    text = "单位:\n  全称 中共枫岭市青禾区委统战部    # 单位全称\n  简称: 区委统战部\n"
    (problem,) = error_of(write(tmp_path, text)).problems
    assert (problem.line, problem.column) == (2, 3)
    assert "缺少冒号" in problem.message


def test_a_misaligned_field_is_still_called_misaligned(tmp_path):
    (problem,) = error_of(write(tmp_path, "单位:\n  全称: 甲\n 简称: 乙\n")).problems
    assert "缩进不一致" in problem.message


def test_control_character_is_reported_where_it_is(tmp_path):
    (problem,) = error_of(write(tmp_path, "甲: 1\n乙: 中文\x0b后面\n")).problems
    assert (problem.line, problem.column) == (2, 6)
    assert "U+000B" in problem.message


@pytest.mark.parametrize("text", ["", "\n\n", "# 只有注释\n", "---\n", "~\n"])
def test_empty_file(tmp_path, text):
    (problem,) = error_of(write(tmp_path, text)).problems
    assert problem.message == "事实表是空的"


def test_empty_yaml_file_names_its_kind(tmp_path):
    path = write(tmp_path, "", "layout.yaml")
    with pytest.raises(DrafterError, match="版式文件是空的"):
        load_yaml(path, "版式文件")


def test_root_must_be_a_mapping(tmp_path):
    (problem,) = error_of(write(tmp_path, "# 说明\n- 甲\n- 乙\n")).problems
    assert (problem.line, problem.column) == (2, 1)
    assert "映射" in problem.message and "列表" in problem.message


def test_directory_is_not_a_file(tmp_path):
    (problem,) = error_of(tmp_path).problems
    assert problem.message == "这是一个文件夹，不是文件"
    assert problem.file == str(tmp_path)


def test_missing_file(tmp_path):
    (problem,) = error_of(tmp_path / "无此文件.yaml").problems
    assert "找不到文件" in problem.message


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, "a: 1\n")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    (problem,) = error_of(path).problems
    assert problem.message == "没有权限读取这个文件"
    # Windows refuses to read a folder with the same error: still say it is a folder.
    assert error_of(tmp_path).problems[0].message == "这是一个文件夹，不是文件"


def test_aliases_are_expanded(tmp_path):
    sheet = load_sheet(write(tmp_path, "甲: &shared\n  名: 某\n乙: *shared\n"))
    assert sheet.data == {"甲": {"名": "某"}, "乙": {"名": "某"}}
    assert sheet.positions[("乙", "名")] == (2, 6)  # where the shared content was written


def test_alias_bomb_is_stopped(tmp_path):
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 7):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    error = error_of(write(tmp_path, "\n".join(lines) + "\n"))
    assert str(MAX_ALIAS_NODES) in str(error) and "别名" in str(error)


def test_recursive_alias_is_an_error(tmp_path):
    (problem,) = error_of(write(tmp_path, "甲: &self\n  - *self\n")).problems
    assert "引用了包含它自己的内容" in problem.message
    assert (problem.line, problem.column, problem.path) == (1, 4, "甲[1]")  # the anchor, and where it recurs


def test_undefined_alias(tmp_path):
    (problem,) = error_of(write(tmp_path, "甲: 1\n乙: *nothing\n")).problems
    assert (problem.line, problem.column) == (2, 4)
    assert "未定义的别名" in problem.message


def test_non_ascii_anchor_name_is_explained(tmp_path):
    (problem,) = error_of(write(tmp_path, "甲: &共用 1\n")).problems
    assert (problem.line, problem.column) == (1, 5)
    assert "名称只能用英文字母" in problem.message


def test_merge_keys_are_rejected(tmp_path):
    (problem,) = error_of(write(tmp_path, "甲: &base\n  名: 某\n乙:\n  <<: *base\n")).problems
    assert (problem.line, problem.column) == (4, 3)
    assert "不支持合并键" in problem.message


def test_two_documents_are_rejected(tmp_path):
    (problem,) = error_of(write(tmp_path, "甲: 1\n---\n乙: 2\n")).problems
    assert problem.line == 2 and "---" in problem.message


def test_load_yaml_gives_yaml_types_but_text_keys(tmp_path):
    text = "size: 16\nbold: true\nmargin: 3.7\nname: 仿宋\n1: 一级\nbad_date: 2024-13-40\nnothing: ~\n"
    data = load_yaml(write(tmp_path, text, "layout.yaml")).data
    assert data == {
        "size": 16,
        "bold": True,
        "margin": 3.7,
        "name": "仿宋",
        "1": "一级",
        "bad_date": "2024-13-40",
        "nothing": None,
    }


@pytest.mark.parametrize(
    "path, text",
    [
        (("工作领域", 1, "要点", 0, "内容"), "工作领域[2].要点[1].内容"),
        (("单位", "全称"), "单位.全称"),
        ((), ""),
        ((0, "甲"), "[1].甲"),
    ],
)
def test_format_path(path, text):
    assert format_path(path) == text


def touch(folder: Path, name: str, mtime: float) -> Path:
    path = write(folder, "a: 1\n", name)
    os.utime(path, (mtime, mtime))
    return path


def test_find_newest_sheet_prefers_the_year_in_the_name(tmp_path):
    touch(tmp_path, "2023年度.yaml", 3000)
    newest = touch(tmp_path, "事实表2024.yml", 1000)
    touch(tmp_path, "草稿.yaml", 5000)  # no year: ranks below any named year
    touch(tmp_path, "2025.txt", 9000)  # not YAML
    touch(tmp_path, ".2026.yaml", 9000)  # hidden
    assert find_newest_sheet(tmp_path) == newest


def test_find_newest_sheet_breaks_ties_by_modification_time(tmp_path):
    touch(tmp_path, "2024-旧.yaml", 1000)
    newer = touch(tmp_path, "2024-新.yaml", 2000)
    assert find_newest_sheet(tmp_path) == newer


def test_find_newest_sheet_without_years_uses_modification_time(tmp_path):
    touch(tmp_path, "甲.yaml", 2000)
    newer = touch(tmp_path, "乙.YAML", 3000)
    assert find_newest_sheet(tmp_path) == newer


def test_find_newest_sheet_with_nothing_to_find(tmp_path):
    assert find_newest_sheet(tmp_path) is None
    assert find_newest_sheet(tmp_path / "不存在") is None
