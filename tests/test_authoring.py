"""docs/authoring.md taken literally, and the two styles built from template files alone.

The worked example of docs/authoring.md is replayed step by step in a fresh project: every file it
shows is written, every command it shows is run, every output it shows is compared. The filter
examples are rendered and compared too, so the guide and drafter cannot drift apart.
"""
import re
import shlex
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner

from drafter.cli import cli
from drafter.provenance import attach
from drafter.render import filter_functions, new_environment, render_template
from drafter.templates import META_KEYS

FILTERS = filter_functions()

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
SAMPLE = ROOT / "facts" / "2024.yaml"


def section(number):
    """The text of “## {number}. …” up to the next “## ” heading (an outline's ## in a code block is none)."""
    lines, found, fenced = [], False, False
    for line in DOC.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            if found:
                break
            found = line.startswith(f"## {number}. ")
        if found:
            lines.append(line)
    assert found, f"docs/authoring.md has no section {number}"
    return "".join(lines)


STEP = re.compile(
    r"文件 `(?P<write>[^`]+)`：\n\n```\w*\n(?P<write_body>.*?)```"
    r"|在 `(?P<append>[^`]+)` 末尾加上：\n\n```\w*\n(?P<append_body>.*?)```"
    r"|```sh\n(?P<commands>.*?)```"
    r"|得到 `(?P<result>[^`]+)`：\n\n```text\n(?P<result_body>.*?)```"
    r"|屏幕上显示(?P<excerpt>（节选）)?：\n\n```text\n(?P<screen>.*?)```"
    r"|在 `(?P<edit>[^`]+)` 里把 `(?P<old>[^`]+)` 改成 `(?P<new>[^`]+)`",
    re.S)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A fresh project folder: the sample sheet in facts/, nothing else, no extra template folders."""
    (tmp_path / "facts").mkdir()
    shutil.copy(SAMPLE, tmp_path / "facts" / "2024.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DRAFTER_TEMPLATES", raising=False)
    return tmp_path


def test_following_the_worked_example_literally_makes_a_working_style(project):
    text = section(9)
    steps = list(STEP.finditer(text))
    kinds = [next(k for k in ("write", "append", "commands", "result", "screen", "edit") if s.group(k) is not None)
             for s in steps]
    assert kinds.count("write") == 3 and kinds.count("append") == 1 and kinds.count("edit") == 2
    assert kinds.count("commands") >= 5 and kinds.count("result") == 1 and kinds.count("screen") >= 3
    output, ran, failed = "", 0, 0
    for index, step in enumerate(steps):
        if step.group("write"):
            path = project / step.group("write")
            assert path.is_file(), f"{path} should exist before the guide replaces it"
            path.write_text(step.group("write_body"), encoding="utf-8")
        elif step.group("append"):
            with open(project / step.group("append"), "a", encoding="utf-8") as sheet:
                sheet.write(step.group("append_body"))
        elif step.group("edit"):
            path = project / step.group("edit")
            before = path.read_text(encoding="utf-8")
            assert step.group("old") in before
            path.write_text(before.replace(step.group("old"), step.group("new")), encoding="utf-8")
        elif step.group("commands") is not None:
            until = steps[index + 1].start() if index + 1 < len(steps) else len(text)
            expected_exit = 1 if "退出码为 1" in text[step.end():until] else 0
            output = ""
            for line in step.group("commands").splitlines():
                words = shlex.split(line)
                assert words[0] == "drafter", line
                result = CliRunner().invoke(cli, words[1:], catch_exceptions=False)
                assert result.exit_code == expected_exit, (line, result.output)
                output += result.output
                ran += 1
                failed += expected_exit
        elif step.group("result"):
            written = (project / step.group("result")).read_text(encoding="utf-8")
            body, _, mark = written.rstrip("\n").rpartition("\n")
            assert mark.startswith("drafter-fingerprint: ")  # the guide says the last line is this
            assert body.strip() == step.group("result_body").strip()
        else:
            shown = step.group("screen").strip().splitlines()
            if step.group("excerpt"):
                missing = [line for line in shown if line not in output.splitlines()]
                assert not missing, (missing, output)
            else:
                assert output.strip().splitlines() == shown
    assert ran >= 6 and failed >= 1
    # The style the guide made is a real one: listed from the project, drafted into Word.
    listing = CliRunner().invoke(cli, ["templates"]).output
    assert re.search(r"^speech\s+mc\s+会议主持词（简）\s+项目$", listing, re.M), listing
    body = "\n".join(p.text for p in docx.Document(str(project / "2024-01-会议主持词.docx")).paragraphs)
    assert "下面，进行第五项议程：请云溪街道党工委、区工商联和青禾经济开发区管委会作交流发言。" in body
    assert body.startswith("2024年全区统一战线工作会议主持词") and body.rstrip().endswith("现在散会。")
    assert "各位领导、同志们：" in body  # from the section the guide added to the sheet


def test_the_agenda_the_guide_shows_is_the_sample_sheets():
    shown = re.search(r"```yaml\n(    议程:\n.*?)```", section(9), re.S).group(1)
    sheet = SAMPLE.read_text(encoding="utf-8")
    sheet_lines = {re.sub(r"\s+#.*$", "", line).rstrip() for line in sheet.splitlines()}
    for line in shown.splitlines():
        assert line.rstrip() in sheet_lines, line


EXAMPLE = re.compile(r"^- `(\{[{%].*?[}%]\})` → `(.*?)`$", re.M)


def test_every_filter_is_documented_with_an_example_that_holds(tmp_path):
    text = section(5)
    values = yaml.safe_load(re.search(r"```yaml\n(# 过滤器例子用到的值\n.*?)```", text, re.S).group(1))
    env = new_environment([str(tmp_path)])
    examples = EXAMPLE.findall(text)
    assert len(examples) >= len(FILTERS)
    for name in FILTERS:
        assert f"### `{name}`" in text, f"filter {name} is not documented"
        assert any(re.search(rf"\|\s*{name}\b", source) for source, _ in examples), f"no example for {name}"
    facts = attach(values, "例子.yaml", {}, {})  # the values as a sheet gives them: facts
    for source, expected in examples:
        assert render_template(env, "例子", facts, source=source).plain == expected, source


def test_the_discovery_order_the_guide_gives_is_drafters(tmp_path, monkeypatch):
    import drafter.templates as templates

    listed = re.findall(r"^\d\. \*\*(.+?)\*\*", section(2), re.M)
    origin = {"内置": "内置", "已安装的包": "包", "项目": "项目", "环境变量": "DRAFTER_TEMPLATES", "命令行": "--templates"}
    assert len(listed) == 5 and set(listed) == set(origin)
    for name in ("package", "templates", "env", "option"):
        (tmp_path / name).mkdir()
    monkeypatch.setattr(templates, "_package_sources",
                        lambda: [templates.Source(tmp_path / "package", "包 fake")])
    monkeypatch.setenv("DRAFTER_TEMPLATES", str(tmp_path / "env"))
    monkeypatch.chdir(tmp_path)
    found = [s.origin.split()[0] for s in templates.template_sources([tmp_path / "option"])]
    assert found == [origin[word] for word in listed]
    assert "drafter.templates" in section(2)


def test_the_guide_covers_template_yaml_schema_and_links():
    table = section(1)
    for key in META_KEYS:
        assert f"| `{key}` |" in table, key
    for target in re.findall(r"\]\(([^)#]+\.md)\)", DOC):
        assert (ROOT / "docs" / target).is_file(), target
    assert "(outline.md)" in section(3) and "(forms.md)" in section(3) and "(layouts.md)" in section(7)
    assert "(forms.md)" in table  # the form key points to the forms guide
    for word in ("label", "aliases", "one_or_more", "example", "description", "unprinted", "fields"):
        assert f"`{word}`" in section(6) or f"{word}:" in section(6), word


def test_the_outline_and_form_example_the_guide_gives_holds():
    """Section 3: the outline shown, laid out under the default form and under the form shown, is
    the text shown (one paragraph a line); the guide never teaches the markup that is gone."""
    from drafter.document import parse_outline, plain_text
    from drafter.form_scheme import read_scheme

    text = section(3)
    outline = re.search(r"```markdown\n(.*?)```", text, re.S).group(1)
    default, formed = re.findall(r"```text\n(.*?)```", text, re.S)
    form = yaml.safe_load(re.search(r"```yaml\n(form:\n.*?)```", text, re.S).group(1))["form"]

    def laid_out(scheme=None):
        return [plain_text(b.inlines) for b in parse_outline(outline, scheme=scheme).blocks]

    assert laid_out() == default.splitlines()
    assert laid_out(read_scheme(form, lambda path: ("template.yaml", None, None))) == formed.splitlines()
    example = re.search(r"```jinja\n(.*?)```", section(9), re.S).group(1)
    for gone in ("{.领句", "{.不编号", "{%-", "-%}", "+%}"):  # the form decides; tag-only lines vanish
        assert gone not in example and gone not in section(4).replace(f"`{gone}`", ""), gone


# --------------------------------------------------------------------------- the two styles of issue 6


def docx_text(path):
    return [p.text for p in docx.Document(str(path)).paragraphs]


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DRAFTER_TEMPLATES", raising=False)

    def invoke(*args):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return invoke


def draft_from_sample(run, output, *options):
    """The sample sheet drafted into Word: the paragraphs' text and the sheet as written."""
    result = run("speech", SAMPLE, *options, "-o", output)
    assert result.exit_code == 0, result.output
    assert "未使用" not in result.output and "待补" not in result.output  # every fact read is printed
    return docx_text(Path(output)), yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def test_the_leaders_speech_from_the_sample_sheet(run, tmp_path):
    paragraphs, sheet = draft_from_sample(run, "讲话.docx", "--style", "leader")
    talk = sheet["讲话"]
    assert paragraphs[0].replace("\n", "") == f"在{talk['会议']['名称']}上的讲话"
    assert paragraphs[3] == "同志们："
    headings = [p for p in paragraphs if re.match(r"^[一二三四]、", p)]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、"]
    assert headings[0].startswith("一、充分肯定成绩") and "形势" in headings[1] and "任务" in headings[2]
    body = "\n".join(paragraphs)
    for index, area in enumerate(sheet["工作领域"]):
        numeral = "一二三四"[index]
        assert f"{numeral}是{area['排比标题']}，{area['标题展开']}。{area['概述']}，{area['成效']}。" in body
    for judgement in talk["形势"]["判断"]:
        assert re.search(rf"（[一二三]）{judgement['领句']}。{judgement['内容']}", body)
    for task in talk["任务"]["要点"]:
        assert re.search(rf"^（[一二三四]）{task['标题']}$", body, re.M)
        for requirement in task["要求"]:
            assert requirement in body
    assert "下面，我讲三点意见。" in body
    assert paragraphs[-1] == f"同志们，{talk['号召']}"
    with zipfile.ZipFile(tmp_path / "讲话.docx") as package:
        xml = package.read("word/document.xml").decode()
    assert xml.count('<w:pStyle w:val="Heading1"/>') == 3  # 一、二、三 are real Word headings


def test_the_host_script_from_the_sample_meeting(run, tmp_path):
    paragraphs, sheet = draft_from_sample(run, "2024-01-主持词.docx", "--style", "host", "--event", "2024-01")
    meeting = sheet["活动"][0]
    assert paragraphs[0].replace("\n", "") == f"{meeting['名称']}主持词"
    assert paragraphs[1] == f"{meeting['主持']['职务']} {meeting['主持']['姓名']}"
    assert paragraphs[3] == "同志们：" and paragraphs[4] == "现在开会。"
    assert paragraphs[-1] == "现在散会。"
    lines = [p for p in paragraphs if "项议程，" in p]
    agenda = meeting["议程"]
    assert len(lines) == len(agenda) == 6
    assert lines[0].startswith("会议进行第一项议程，") and lines[-1].startswith("最后，进行第六项议程，")
    for line, item, numeral in zip(lines, agenda, "一二三四五六"):
        assert f"第{numeral}项议程，" in line and line.endswith(item["事项"] + "。")
        if "发言人" in item:
            assert f"请{item['发言人']['职务']}{item['发言人']['姓名']}同志{item['事项']}" in line
    assert "请云溪街道党工委、区工商联和青禾经济开发区管委会依次作交流发言。" in lines[4]
    after = paragraphs[paragraphs.index(lines[-1]) + 1]
    assert after == agenda[-1]["承接"] + "。"
    body = "\n".join(paragraphs)
    assert "会议共有六项议程。" in body
    assert "出席今天会议的领导有：区委书记陆启航同志，区委常委、统战部部长程静澜同志。" in body
    assert f"会后，{meeting['要求'][0]}。" in body


def test_the_host_script_needs_an_event_and_the_report_refuses_one(run):
    result = run("speech", SAMPLE, "--style", "host")
    assert result.exit_code == 1 and "请用 --event 指定" in result.output and "2024-01（会议" in result.output
    assert "--style feature" not in result.output  # the news kind's 工作综述 is not a speech style
    result = run("speech", SAMPLE, "--event", "2024-01")
    assert result.exit_code == 1 and "不针对某项活动，请去掉 --event" in result.output


def test_the_two_styles_are_template_files_only():
    from drafter.templates import builtin_templates

    for style in ("leader", "host"):
        folder = builtin_templates() / "speech" / style
        assert sorted(p.name for p in folder.iterdir()) == ["outline.md.j2", "schema.yaml", "template.yaml"]
