"""The drafter command end to end, through click's CliRunner and as a real process."""
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner

from drafter.cli import cli
from drafter.templates import builtin_templates

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return invoke


def doc_text(path):
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif value is not None:
        yield str(value)


def test_speech_writes_the_default_file_with_every_work_area_number(run, tmp_path):
    result = run("speech", SAMPLE)
    assert result.exit_code == 0, result.output
    out = tmp_path / "2024-汇报发言.docx"
    assert f"已写出 {out.name}" in result.output
    text = doc_text(out)
    sheet = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    title = docx.Document(str(out)).paragraphs[0].text
    assert title.replace("\n", "") == f"在{sheet['汇报']['会议']['会议全称']}上的汇报发言"
    assert "尊敬的各位领导，同志们：" in text and text.rstrip().endswith("汇报完毕，谢谢大家！")
    area_numbers = {n for s in strings(sheet["工作领域"]) for n in re.findall(r"\d+(?:\.\d+)?[^\s，。；、）]*", s)}
    assert len(area_numbers) >= 10
    for number in area_numbers:
        assert number in text, f"{number} from the sheet is missing in the speech"
    for point in (p for area in sheet["工作领域"] for p in area["要点"]):
        assert point["内容"] in text  # the writer's words, verbatim
    # whole number tokens of the sheet's values (comments do not count; a date gives its parts)
    sheet_numbers = {n for value in strings(sheet) for n in re.findall(r"\d+(?:\.\d+)?", value)}
    for number in re.findall(r"\d+(?:\.\d+)?", text):
        assert number in sheet_numbers, f"{number} in the speech is not in the sheet"


def test_template_text_carries_no_number():
    for outline in builtin_templates().glob("*/*/outline.md.j2"):
        literal = re.sub(r"\{#.*?#\}", "", outline.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"\d", literal), outline


def test_output_option_and_previews(run, tmp_path):
    assert run("speech", SAMPLE, "-o", "发言.docx").exit_code == 0
    assert (tmp_path / "发言.docx").exists()
    assert run("speech", SAMPLE, "--format", "md").exit_code == 0
    md = (tmp_path / "2024-汇报发言.md").read_text(encoding="utf-8")
    assert md.startswith("# 在") and "\n\n**织密网络，" in md
    assert run("speech", SAMPLE, "--format", "txt", "-o", "预览.txt").exit_code == 0
    txt = (tmp_path / "预览.txt").read_text(encoding="utf-8")
    assert "\n　　织密网络，压实责任链条，坚持上下贯通强覆盖。坚持党对统战工作的全面领导" in txt


def write_sheet(tmp_path, text, name="sheet.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("change, expected", [
    (lambda s: s.replace("  简称: 区委统战部", "  简称 区委统战部"), r"sheet\.yaml:\d+:3: .*缺少冒号"),
    (lambda s: re.sub(r"\n    会议全称:[^\n]*", "", s), r"sheet\.yaml:\d+:\d+: 汇报\.会议\.会议全称: 缺少必填字段“会议全称”"),
    (lambda s: s.replace("日期: 2024-12-17 ", "日期: 2024-13-40 ", 1),
     r"sheet\.yaml:\d+:\d+: 汇报\.会议\.日期: “2024-13-40”不是有效的日期（月份应为 1～12）"),
])
def test_bad_sheets_get_one_chinese_message_and_exit_1(run, tmp_path, change, expected):
    sheet = write_sheet(tmp_path, change(SAMPLE.read_text(encoding="utf-8")))
    result = CliRunner().invoke(cli, ["speech", str(sheet)])
    assert result.exit_code == 1
    assert re.search(expected, result.output), result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert not list(tmp_path.glob("*.docx"))


def test_every_problem_reported_at_once(run, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("日期: 2024-12-17 ", "日期: 2024-02-30 ", 1)
    text = re.sub(r"\n  全称:[^\n]*", "", text)
    result = CliRunner().invoke(cli, ["speech", str(write_sheet(tmp_path, text))])
    assert result.exit_code == 1
    assert "单位.全称" in result.output and "2024年2月只有 29 天" in result.output
    assert "共 2 个问题" in result.output


def test_usage_errors_exit_2(run):
    assert CliRunner().invoke(cli, ["speech", "--format", "pdf"]).exit_code == 2
    assert CliRunner().invoke(cli, ["nonsense"]).exit_code == 2


def test_missing_optional_fact_is_a_counted_placeholder(run, tmp_path):
    text = re.sub(r"\n    职务:[^\n]*", "", SAMPLE.read_text(encoding="utf-8"), count=1)
    result = run("speech", write_sheet(tmp_path, text), "-o", "out.docx")
    assert result.exit_code == 0
    assert "待补 1 处" in result.output
    document = docx.Document(str(tmp_path / "out.docx"))
    byline = document.paragraphs[1]
    assert byline.style.name == "署名"
    placeholder = [r for r in byline.runs if r.text == "【待补：职务】"]
    assert placeholder and placeholder[0].style.name == "待补"


def test_newest_sheet_is_used_when_none_is_named(run, tmp_path):
    result = CliRunner().invoke(cli, ["speech"])
    assert result.exit_code == 1 and "facts/" in result.output
    (tmp_path / "facts").mkdir()
    for name in ("2023.yaml", "2024.yaml"):
        (tmp_path / "facts" / name).write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("speech")
    assert result.exit_code == 0
    assert f"使用事实表 {Path('facts') / '2024.yaml'}" in result.output
    assert (tmp_path / "2024-汇报发言.docx").exists()


def test_an_edited_draft_is_not_overwritten(run, tmp_path):
    assert run("speech", SAMPLE).exit_code == 0
    out = tmp_path / "2024-汇报发言.docx"
    assert run("speech", SAMPLE).exit_code == 0  # untouched drafts are simply rewritten
    edited = docx.Document(str(out))
    edited.paragraphs[4].text = "改过的正文。"
    edited.core_properties.last_modified_by = "张三"
    edited.core_properties.revision = 2
    edited.save(str(out))
    result = CliRunner().invoke(cli, ["speech", str(SAMPLE)])
    assert result.exit_code == 1 and "--force" in result.output
    assert "改过的正文。" in doc_text(out)
    assert run("speech", SAMPLE, "--force").exit_code == 0
    assert "改过的正文。" not in doc_text(out)


@pytest.mark.parametrize("lock", ["~$24-汇报发言.docx", "~$2024-汇报发言.docx"])
def test_a_draft_open_in_word_is_not_overwritten(run, tmp_path, lock):
    (tmp_path / lock).write_bytes(b"")
    result = CliRunner().invoke(cli, ["speech", str(SAMPLE)])
    assert result.exit_code == 1 and "正在被 Word/WPS 打开" in result.output
    assert not (tmp_path / "2024-汇报发言.docx").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~drafter")]


def test_docx_records_its_origin(run, tmp_path):
    run("speech", SAMPLE, "-o", "a.docx")
    with zipfile.ZipFile(tmp_path / "a.docx") as z:
        core = z.read("docProps/core.xml").decode()
    assert "<cp:lastModifiedBy>drafter</cp:lastModifiedBy>" in core
    assert "<dc:language>zh-CN</dc:language>" in core


def test_python_m_drafter_and_a_light_help():
    result = subprocess.run([sys.executable, "-m", "drafter", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "speech" in result.stdout
    probe = ("import sys; from drafter.cli import cli; "
             "heavy = [m for m in ('docx', 'jinja2', 'yaml', 'cerberus', 'lxml') if m in sys.modules]; print(heavy)")
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT).stdout.strip() == "[]"


def test_an_output_name_with_another_extension_gets_the_format_s_own(run, tmp_path):
    assert run("speech", SAMPLE, "-o", "初稿.v2").exit_code == 0
    assert run("speech", SAMPLE, "-o", "report.pdf").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf.docx", "初稿.v2.docx"]


def test_the_output_extension_gives_the_format_and_must_agree_with_it(run, tmp_path):
    assert run("speech", SAMPLE, "-o", "预览.txt").exit_code == 0
    assert (tmp_path / "预览.txt").read_text(encoding="utf-8").startswith("在全市")
    mismatch = CliRunner().invoke(cli, ["speech", str(SAMPLE), "--format", "txt", "-o", "x.docx"])
    assert mismatch.exit_code == 2 and "不一致" in mismatch.output and not (tmp_path / "x.docx").exists()
    assert run("speech", SAMPLE, "-o", "无扩展名").exit_code == 0
    assert zipfile.is_zipfile(tmp_path / "无扩展名.docx")


def test_an_output_folder_with_a_trailing_slash_is_made(run, tmp_path):
    result = run("speech", SAMPLE, "-o", "稿件/")
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(tmp_path / "稿件" / "2024-汇报发言.docx")
