"""Messy and hostile input through the CLI: a clear message and exit 1, or a clean draft — never a traceback."""
import os
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from drafter.cli import cli

SAMPLE_TEXT = (Path(__file__).resolve().parent.parent / "facts" / "2024.yaml").read_text(encoding="utf-8")
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))


def run(tmp_path, content, name="2024.yaml"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))  # bytes as given: \r\n stays \r\n
    result = CliRunner().invoke(cli, ["speech", str(path), "-o", str(tmp_path / "out.docx")])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.mark.parametrize("content, message", [
    ("", "事实表是空的"),
    ("# 只有注释\n", "事实表是空的"),
    ("- 一\n- 二\n", "映射"),
    ("年度: 2024\n单位:\n\t全称: x\n", "制表符"),
    ('年度: 2024\n单位:\n  全称: "青禾\\x07区"\n', "U+0007"),
    (BOMB, "别名"),
    ("年度: 2024\n单位:\n  - 甲\n  - 乙\n汇报: {会议: {会议全称: 会}}\n", "单位: 应为映射"),
], ids=["empty", "only comments", "list at the top", "tab", "control character", "alias bomb",
        "list for a mapping"])
def test_bad_sheets_exit_1_with_a_message(tmp_path, content, message):
    result = run(tmp_path, content)
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert "2024.yaml" in result.output


def test_windows_line_endings_and_a_bom_are_fine(tmp_path):
    result = run(tmp_path, "\ufeff".encode("utf-8") + SAMPLE_TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert "现场推进会上的汇报发言" in docx.Document(str(tmp_path / "out.docx")).paragraphs[0].text


def test_gb18030_sheet_is_read_with_a_warning(tmp_path):
    result = run(tmp_path, SAMPLE_TEXT.encode("gb18030"))
    assert result.exit_code == 0, result.output
    assert "GB18030" in result.output


def test_very_long_values_still_make_a_document(tmp_path):
    long_text = "很长的内容" * 40_000
    result = run(tmp_path, SAMPLE_TEXT.replace("推动统战工作重心下移", long_text + "推动统战工作重心下移", 1))
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "out.docx")).paragraphs)
    assert long_text in text


def test_a_folder_instead_of_a_sheet(tmp_path):
    result = CliRunner().invoke(cli, ["speech", str(tmp_path)])
    assert result.exit_code == 1 and "文件夹" in result.output


def test_a_sheet_without_read_permission(tmp_path, monkeypatch):
    path = tmp_path / "2024.yaml"
    path.write_text(SAMPLE_TEXT, encoding="utf-8")
    if os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything: simulate the refusal the file system would give
        real_open = Path.open

        def refuse(self, *args, **kwargs):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)
        monkeypatch.setattr(Path, "open", refuse)
    result = CliRunner().invoke(cli, ["speech", str(path), "-o", str(tmp_path / "out.docx")])
    assert result.exit_code == 1 and "没有权限读取" in result.output, result.output


def test_a_flow_nesting_bomb_is_refused_before_the_yaml_parser_sees_it(tmp_path):
    """50,000 nested [ killed the process inside libyaml (a segfault, not an exception)."""
    import subprocess
    import sys

    path = tmp_path / "2024.yaml"
    path.write_text("年度: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "drafter", "speech", str(path), "-o", str(tmp_path / "x.docx")],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "嵌套层数太多" in result.stderr, (result.returncode, result.stderr)
