"""Several sheets in one call: each drafted, failures reported in a table, exit 1 if any failed."""
from pathlib import Path

import docx
from click.testing import CliRunner

from drafter.cli import cli

SAMPLE = (Path(__file__).resolve().parent.parent / "facts" / "2024.yaml").read_text(encoding="utf-8")


def project(tmp_path, monkeypatch, names, bad=()):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "facts").mkdir()
    for name in names:
        (tmp_path / "facts" / name).write_text(SAMPLE, encoding="utf-8")
    for name in bad:
        (tmp_path / "facts" / name).write_text("年度: 2024\n单位: [甲]\n", encoding="utf-8")


def test_a_pattern_drafts_every_sheet_and_a_failure_does_not_stop_the_others(tmp_path, monkeypatch):
    project(tmp_path, monkeypatch, ["2022.yaml", "2023.yaml"], bad=["2021.yaml"])
    (tmp_path / "out").mkdir()
    result = CliRunner().invoke(cli, ["speech", "facts/*.yaml", "-o", "out"])
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["2022-汇报发言.docx", "2023-汇报发言.docx"]
    lines = result.output.splitlines()
    assert any(line.startswith("facts/2021.yaml") and "失败" in line for line in lines)
    assert "facts/2021.yaml:2:1: 单位: 应为映射" in result.output
    assert any(line.startswith("facts/2023.yaml") and "完成" in line for line in lines)
    assert "共 3 张事实表：完成 2，失败 1。" in result.output
    text = docx.Document(str(tmp_path / "out" / "2023-汇报发言.docx")).paragraphs[0].text
    assert text.replace("\n", "").endswith("上的汇报发言")


def test_all_good_sheets_exit_0(tmp_path, monkeypatch):
    project(tmp_path, monkeypatch, ["2023.yaml", "2024.yaml"])
    result = CliRunner().invoke(cli, ["report", "facts/2023.yaml", "facts/2024.yaml", "--format", "txt"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "2023-工作总结.txt").exists() and (tmp_path / "2024-工作总结.txt").exists()
    assert "失败 0" in result.output


def test_same_named_sheets_never_overwrite_each_other(tmp_path, monkeypatch):
    project(tmp_path, monkeypatch, ["2024.yaml"])
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "2024.yaml").write_text(SAMPLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["speech", "facts/2024.yaml", "other/2024.yaml"])
    assert result.exit_code == 1
    assert "同名" in result.output and "失败 1" in result.output


def test_several_sheets_need_a_folder_for_output(tmp_path, monkeypatch):
    project(tmp_path, monkeypatch, ["2023.yaml", "2024.yaml"])
    result = CliRunner().invoke(cli, ["speech", "facts/2023.yaml", "facts/2024.yaml", "-o", "a.docx"])
    assert result.exit_code == 2 and "文件夹" in result.output


def test_a_pattern_that_matches_nothing(tmp_path, monkeypatch):
    project(tmp_path, monkeypatch, [])
    result = CliRunner().invoke(cli, ["speech", "facts/*.yml"])
    assert result.exit_code == 1 and "没有与“facts/*.yml”匹配的事实表" in result.output


def test_the_summary_table_lines_up_under_chinese_file_names(tmp_path, monkeypatch):
    import unicodedata

    project(tmp_path, monkeypatch, ["二〇二四年.yaml", "a.yaml"], bad=["坏.yaml"])
    result = CliRunner().invoke(cli, ["speech", "facts/*.yaml", "-o", "out/", "--format", "txt"])
    rows = [line for line in result.output.splitlines() if line.startswith(("事实表", "facts/"))]
    assert len(rows) == 4

    def cells_before(line, word):
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:line.index(word)])
    assert len({cells_before(line, word) for line in rows for word in ("结果", "完成", "失败") if word in line}) == 1
