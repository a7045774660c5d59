"""Framing is data (issue 13) for the 汇报发言: every phrase the template adds can be replaced or
switched off from the sheet's 汇报 section, nothing a real report can lack is required, and the
openings real reports use have a place. Each case drafts a small sheet and reads the .docx text.
"""
import textwrap
from pathlib import Path
from typing import List, Tuple

import pytest
from click.testing import CliRunner
from docx_reading import styled_paragraphs

from drafter.cli import cli
from drafter.errors import DrafterError
from drafter.validate import load_schema

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

SHEET = """\
年度: 2024
单位: {全称: 中共南岭县委统一战线工作部, 简称: 县委统战部, 自称: 我县}
汇报:
  会议: {会议全称: 全市统战工作座谈会}
  时段: 今年以来
  遵循: [党的二十大精神]
  工作思路: “同心南岭”
  总体成效: 统战工作取得新成效
%s
工作领域:
  - 排比标题: 建强阵地
    概述: 新建同心驿站8个
    要点:
      - 领句: 抓布局
        内容: 每个乡镇建成1个驿站
  - 排比标题: 建好队伍
    概述: 培训统战干部96人次
"""


def draft(tmp_path: Path, extra: str = "", sheet: str = SHEET, strict: bool = True) -> Tuple[int, str, List[tuple]]:
    """(exit code, stderr and stdout, [(paragraph style, text)]) of a 汇报发言 from the sheet."""
    path = tmp_path / "s.yaml"
    path.write_text(sheet % textwrap.indent(textwrap.dedent(extra), "  ") if "%s" in sheet else sheet,
                    encoding="utf-8")
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(cli, ["speech", str(path), "-o", str(out), "--force"] + (["--strict"] if strict else []))
    paragraphs = styled_paragraphs(out) if result.exit_code == 0 else []
    return result.exit_code, result.output, paragraphs


def texts(paragraphs: List[tuple]) -> List[str]:
    return [text for _, text in paragraphs]


def test_the_defaults(tmp_path):
    code, output, paragraphs = draft(tmp_path)
    assert code == 0, output
    assert texts(paragraphs) == [
        "在全市统战工作座谈会上的汇报发言", "尊敬的各位领导，同志们：",
        "今年以来，我县全面贯彻落实党的二十大精神，围绕“同心南岭”，统战工作取得新成效。"
        "根据会议安排，现将有关工作情况汇报如下：",
        "建强阵地。新建同心驿站8个。抓布局。每个乡镇建成1个驿站。", "建好队伍。培训统战干部96人次。",
        "汇报完毕，谢谢大家！"]
    assert paragraphs[1][0] == "GwSalutation" and paragraphs[-1][0] == "GwClosing"


@pytest.mark.parametrize("off", ["不写", "''"])
def test_salutation_transition_and_closing_switch_off(tmp_path, off):
    code, output, paragraphs = draft(tmp_path, f"称谓: {off}\n过渡语: {off}\n结束语: {off}\n")
    assert code == 0, output  # --strict: a phrase switched off is not an unused fact
    assert texts(paragraphs) == [
        "在全市统战工作座谈会上的汇报发言",
        "今年以来，我县全面贯彻落实党的二十大精神，围绕“同心南岭”，统战工作取得新成效。",
        "建强阵地。新建同心驿站8个。抓布局。每个乡镇建成1个驿站。", "建好队伍。培训统战干部96人次。"]


def test_phrases_replaced_are_printed_verbatim(tmp_path):
    code, output, paragraphs = draft(tmp_path, """\
        称谓: 各位领导：
        过渡语: 下面，我作个补充发言，主要汇报两个方面。
        遵循的说法: 始终坚持以
        遵循之后: 为指导
        思路的说法: 紧紧围绕
        思路之后: 这一主线
        结束语: 以上汇报，不妥之处请批评指正。
        """)
    assert code == 0, output
    assert texts(paragraphs)[1:3] == [
        "各位领导：",
        "今年以来，我县始终坚持以党的二十大精神为指导，紧紧围绕“同心南岭”这一主线，统战工作取得新成效。"
        "下面，我作个补充发言，主要汇报两个方面。"]
    assert texts(paragraphs)[-1] == "以上汇报，不妥之处请批评指正。"


def test_own_paragraphs_have_their_places(tmp_path):
    code, output, paragraphs = draft(tmp_path, """\
        问候: 大家下午好！
        基本情况: [南岭县辖8个乡镇。, 常住人口21.6万人。]
        引语: 党的二十大报告指出，要巩固和发展最广泛的爱国统一战线
        结尾段: [我们将认真学习兄弟县区的好经验。]
        """)
    assert code == 0, output
    assert texts(paragraphs)[1:5] == ["尊敬的各位领导，同志们：", "大家下午好！", "南岭县辖8个乡镇。", "常住人口21.6万人。"]
    assert texts(paragraphs)[5].startswith("党的二十大报告指出，要巩固和发展最广泛的爱国统一战线。今年以来，我县")
    assert texts(paragraphs)[-2:] == ["我们将认真学习兄弟县区的好经验。", "汇报完毕，谢谢大家！"]


def test_an_opening_written_whole_replaces_the_built_one(tmp_path):
    sheet = SHEET.replace("  时段: 今年以来\n  遵循: [党的二十大精神]\n  工作思路: “同心南岭”\n  总体成效: 统战工作取得新成效\n",
                          "  开头: 近年来，我县以“同心南岭”为抓手推动统战工作提质增效\n")
    code, output, paragraphs = draft(tmp_path, sheet=sheet % "", strict=False)
    assert code == 0, output
    assert "单位.自称: 未使用" in output  # the opening written whole says 我县 itself
    assert texts(paragraphs)[2] == "近年来，我县以“同心南岭”为抓手推动统战工作提质增效。根据会议安排，现将有关工作情况汇报如下："


def test_a_report_without_a_meeting_or_an_opening_needs_no_filler(tmp_path):
    sheet = SHEET.replace("  会议: {会议全称: 全市统战工作座谈会}\n", "").replace(
        "  时段: 今年以来\n  遵循: [党的二十大精神]\n  工作思路: “同心南岭”\n  总体成效: 统战工作取得新成效\n", "  称谓: 不写\n"
    ).replace(", 自称: 我县", "")
    code, output, paragraphs = draft(tmp_path, sheet=sheet % "")
    assert code == 0, output
    assert "待补" not in "".join(texts(paragraphs))
    assert texts(paragraphs)[:2] == ["县委统战部工作情况汇报", "现将有关工作情况汇报如下："]  # no “根据会议安排” without a meeting


def test_title_forms(tmp_path):
    code, output, paragraphs = draft(tmp_path, "标题: 南岭县统战工作情况汇报\n副题: ——在全市统战工作座谈会上的发言\n")
    assert code == 0, output  # the title written whole names no meeting: a required fact left out is no 未使用
    assert paragraphs[:2] == [("GwTitle", "南岭县统战工作情况汇报"), ("GwSubtitle", "——在全市统战工作座谈会上的发言")]
    sheet = SHEET.replace("  会议: {会议全称: 全市统战工作座谈会}\n", "")
    code, output, paragraphs = draft(tmp_path, "无会议的标题: 统一战线工作汇报材料\n", sheet=sheet)
    assert code == 0, output
    assert paragraphs[0] == ("GwTitle", "县委统战部统一战线工作汇报材料")


def test_a_report_without_a_title(tmp_path):
    code, output, paragraphs = draft(tmp_path, "标题: 不写\n")
    assert code == 0, output
    assert paragraphs[0] == ("GwSalutation", "尊敬的各位领导，同志们：")


def test_a_speaker_given_by_office_alone(tmp_path):
    code, output, paragraphs = draft(tmp_path, "发言人: {职务: 县委常委、统战部部长}\n")
    assert code == 0, output
    assert paragraphs[1] == ("GwByline", "县委常委、统战部部长")


def test_a_section_needs_no_summary_and_no_points(tmp_path):
    sheet = SHEET.replace("    概述: 新建同心驿站8个\n", "")
    code, output, paragraphs = draft(tmp_path, sheet=sheet % "")
    assert code == 0, output
    assert "建强阵地。抓布局。每个乡镇建成1个驿站。" in texts(paragraphs)  # straight to the points
    assert "建好队伍。培训统战干部96人次。" in texts(paragraphs)  # no points at all


def test_a_plans_lead_phrase(tmp_path):
    sheet = SHEET + "下一步:\n  - 内容: 再建驿站3个\n"
    code, output, paragraphs = draft(tmp_path, "下一步的说法: 明年，我们将着力\n", sheet=sheet)
    assert code == 0, output
    assert "明年，我们将着力再建驿站3个。" in texts(paragraphs)


def test_an_empty_optional_fact_is_refused_not_ignored(tmp_path):
    code, output, _ = draft(tmp_path, "问候: ''\n")
    assert code == 1 and "汇报.问候: 是空的" in output and "整行删掉" in output


def test_templates_show_lists_the_phrases_with_their_defaults():
    output = CliRunner().invoke(cli, ["templates", "show", "speech/report"]).output
    assert "措辞（模板自己的话" in output and "用在哪里" in output
    rows = {line.split()[0]: line.split()[1] for line in output.splitlines()
            if line.startswith("  汇报.") and len(line.split()) >= 2}
    assert rows["汇报.称谓"] == "尊敬的各位领导，同志们：" and rows["汇报.结束语"] == "汇报完毕，谢谢大家！"
    assert rows["汇报.过渡语"] == "根据会议安排，现将有关工作情况汇报如下："
    assert any(line.startswith("  汇报.过渡语") and line.rstrip().endswith("开头段末尾引出正文的话")
               for line in output.splitlines())  # where it prints: the field's description


def test_a_phrase_default_holds_no_number(tmp_path):
    schema = tmp_path / "schema.yaml"
    schema.write_text("closing:\n  label: 结束语\n  type: string\n  phrase: 我讲三点\n", encoding="utf-8")
    with pytest.raises(DrafterError) as caught:
        load_schema([schema])
    assert "措辞的缺省说法里有数字“三点”" in str(caught.value)


def test_phrase_on_a_field_that_is_no_phrase_is_a_template_error(tmp_path):
    templates = tmp_path / "templates" / "speech" / "report"
    templates.mkdir(parents=True)
    source = Path(__file__).resolve().parent.parent / "templates" / "speech" / "report"
    for name in ("template.yaml", "schema.yaml"):
        (templates / name).write_text((source / name).read_text(encoding="utf-8"), encoding="utf-8")
    (templates / "outline.md.j2").write_text("# {{ speech.greeting|phrase }}\n", encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(SHEET % "", encoding="utf-8")
    result = CliRunner().invoke(cli, ["speech", str(path), "--templates", str(tmp_path / "templates"),
                                      "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 1 and "|phrase 只用于" in result.output
