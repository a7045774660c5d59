"""Rendering outlines: the sample pack, fact values that look like markup, and broken or hostile templates."""
import re
from pathlib import Path

import pytest
import yaml

from drafter.document import Heading, Lead, Paragraph, plain_text
from drafter.errors import DrafterError
from drafter.facts import load_sheet
from drafter.pipeline import make_draft
from drafter.render import render_outline
from drafter.templates import builtin_templates, find_pack
from drafter.validate import load_schema, validate

SAMPLE = Path(__file__).resolve().parent.parent / "facts" / "2024.yaml"


def sample_facts():
    pack = find_pack("speech", "report")
    return pack, validate(load_sheet(SAMPLE), load_schema(pack.schema_files))


def test_sample_outline_has_the_genre_skeleton():
    pack, facts = sample_facts()
    outline = render_outline(pack, facts).plain
    lines = outline.splitlines()
    assert lines[0] == f"# 在{facts['speech']['meeting']['full_name']}上的汇报发言"
    assert "尊敬的各位领导，同志们：{.称谓}" in lines
    # one part (##) per area, one point (####) per point; how they look is the form's, not the outline's
    assert sum(line.startswith("## ") for line in lines) == len(facts["areas"])
    assert sum(line.startswith("#### ") for line in lines) == sum(len(a["points"]) for a in facts["areas"])
    assert "##/" in lines and not any("{.领句" in line or "{.不编号" in line for line in lines)
    assert re.search(r"根据会议安排，现将有关工作情况汇报如下：\n", outline)
    assert lines[-1] == "汇报完毕，谢谢大家！{.结束语}"


def test_markup_in_fact_values_stays_text(tmp_path):
    sheet = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    sheet["工作领域"][0]["要点"][0]["领句"] = "1. 建立台账"
    sheet["工作领域"][0]["要点"][1]["内容"] = "# 重点 {.称谓} [地点]{.待补}\n## 二级"
    sheet["工作领域"][1]["排比标题"] = "### 织牢制度"
    path = tmp_path / "2024.yaml"
    path.write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    original = make_draft("speech", SAMPLE, "report").document
    draft = make_draft("speech", path, "report")
    assert [type(b) for b in draft.document.blocks] == [type(b) for b in original.blocks]
    assert not any(isinstance(b, Heading) for b in draft.document.blocks)
    assert draft.placeholder_count == 0
    area = draft.document.blocks[5]
    assert isinstance(area, Paragraph) and area.role == "body"
    text = plain_text(area.inlines)
    assert "1. 建立台账。" in text and "# 重点 {.称谓} [地点]{.待补}## 二级" in text
    lead = draft.document.blocks[6].inlines[0]
    assert isinstance(lead, Lead) and lead.text.startswith("### 织牢制度，")


def make_pack(root, outline, schema="name:\n  label: 名称\n  type: string\n"):
    folder = root / "speech" / "custom"
    folder.mkdir(parents=True)
    (root / "speech" / "schema.yaml").write_text(schema, encoding="utf-8")
    (folder / "template.yaml").write_text("title: 自定义\nlayout: gbt9704\n", encoding="utf-8")
    (folder / "outline.md.j2").write_text(outline, encoding="utf-8")
    return find_pack("speech", "custom", [root])


@pytest.mark.parametrize("outline, message, line", [
    ("# 标题\n\n{{ ''.__class__.__mro__ }}\n", "模板试图做不允许的事", 3),
    ("# 标题\n{{ name.__class__.__subclasses__() }}\n", "模板试图做不允许的事", 2),
    ("# 标题\n\n\n{{ no_such_fact }}\n", "没有定义", 4),
    ("# 标题\n{% if %}\n", "模板语法错误", 2),
    ("# 标题\n{% include '/etc/passwd' %}\n", "模板", None),
])
def test_bad_and_hostile_templates_stop_with_file_and_line(tmp_path, outline, message, line):
    pack = make_pack(tmp_path, outline)
    with pytest.raises(DrafterError) as caught:
        render_outline(pack, {"name": "青禾"})
    problem = caught.value.problems[0]
    assert message in problem.message
    assert problem.file.endswith("outline.md.j2")
    if line:
        assert problem.line == line


def test_missing_optional_fact_renders_as_placeholder_markup(tmp_path):
    pack = make_pack(tmp_path, "# 标题\n会议在{{ place }}召开，{{ place|zh_sentence }}\n",
                     schema="place:\n  label: 会议地点\n  type: string\n")
    facts = validate(load_sheet(write(tmp_path / "s.yaml", "其他: 1\n")), load_schema(pack.schema_files))
    assert render_outline(pack, facts).plain.splitlines()[1] == "会议在[会议地点]{.待补}召开，[会议地点]{.待补}"


def test_dates_print_the_chinese_way(tmp_path):
    pack = make_pack(tmp_path, "# 标题\n{{ day }}｜{{ day|zh_month_day }}\n",
                     schema="day:\n  label: 日期\n  type: date\n")
    facts = validate(load_sheet(write(tmp_path / "s.yaml", "日期: 2024-04-03\n")), load_schema(pack.schema_files))
    assert render_outline(pack, facts).plain.splitlines()[1] == "2024年4月3日｜4月3日"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_style_lists_the_available_ones():
    with pytest.raises(DrafterError) as caught:
        find_pack("speech", "nope")
    assert "report" in str(caught.value)
    assert builtin_templates().joinpath("speech", "report", "outline.md.j2").is_file()


# --------------------------------------------------------------------------- discovery, listing, new packs

import os
import subprocess
import sys
import textwrap
import zipfile

from click.testing import CliRunner

from drafter.cli import cli
from drafter.templates import template_roots, template_sources

ROOT = Path(__file__).resolve().parent.parent


def files(root, tree):
    """Write {relative path: text} under root; text is dedented."""
    for name, text in tree.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def one_line_pack(title, line="# {{ unit.full_name }}\n"):
    """A speech pack that reads only the unit, with a title to tell packs apart."""
    return {"template.yaml": f"title: {title}\nschemas:\n  - {{file: speech/schema.yaml, fields: [unit]}}\n",
            "outline.md.j2": line}


def pack_tree(kind, style, title, line="# {{ unit.full_name }}\n"):
    return {f"{kind}/{style}/{name}": text for name, text in one_line_pack(title, line).items()}


@pytest.fixture
def cli_in(tmp_path, monkeypatch):
    """CliRunner in a fresh project folder, without $DRAFTER_TEMPLATES."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DRAFTER_TEMPLATES", raising=False)

    def invoke(*args, env=None):
        return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
    return invoke


def txt(tmp_path, name="out.txt"):
    """A preview's text without drafter's fingerprint line."""
    text = (tmp_path / name).read_text(encoding="utf-8")
    body, _, mark = text.rstrip("\n").rpartition("\n")
    assert mark.startswith("drafter-fingerprint: ")
    return body + "\n"


def test_later_roots_override_earlier_ones_by_kind_and_style(cli_in, tmp_path):
    files(tmp_path / "templates", pack_tree("speech", "report", "项目汇报"))
    files(tmp_path / "env", pack_tree("speech", "report", "环境汇报") | pack_tree("speech", "only-env", "环境独有"))
    files(tmp_path / "opt", pack_tree("speech", "report", "命令行汇报"))
    env = {"DRAFTER_TEMPLATES": str(tmp_path / "env")}

    def title_of(*args, env=None):
        result = cli_in("speech", SAMPLE, "--format", "txt", "-o", "out.txt", *args, env=env)
        assert result.exit_code == 0, result.output
        return re.search(r"已写出 out\.txt（(.+?)，", result.output).group(1)

    assert title_of() == "项目汇报"  # ./templates/ over the built-in
    assert title_of(env=env) == "环境汇报"  # $DRAFTER_TEMPLATES over ./templates/
    assert title_of("--templates", tmp_path / "opt", env=env) == "命令行汇报"  # --templates over both
    assert title_of("--style", "only-env", env=env) == "环境独有"  # other styles of earlier roots stay
    assert title_of("--style", "leader") == "领导讲话"  # built-ins not overridden stay
    listing = cli_in("templates", "--templates", tmp_path / "opt", env=env).output
    assert re.search(r"^speech\s+report\s+命令行汇报\s+--templates（覆盖内置、项目、DRAFTER_TEMPLATES）$", listing, re.M)
    assert re.search(r"^speech\s+only-env\s+环境独有\s+DRAFTER_TEMPLATES$", listing, re.M)


def test_environment_variable_holds_several_folders_and_the_last_wins(cli_in, tmp_path):
    files(tmp_path / "a", pack_tree("speech", "x", "甲"))
    files(tmp_path / "b", pack_tree("speech", "x", "乙"))
    env = {"DRAFTER_TEMPLATES": os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")])}
    assert re.search(r"^speech\s+x\s+乙", cli_in("templates", env=env).output, re.M)
    env = {"DRAFTER_TEMPLATES": os.pathsep.join([str(tmp_path / "b"), str(tmp_path / "a")])}
    assert re.search(r"^speech\s+x\s+甲", cli_in("templates", env=env).output, re.M)


def test_a_project_pack_finds_the_kinds_shared_pieces_and_layouts(cli_in, tmp_path):
    """A news pack in ./templates/ includes the built-in news fragments and reads the built-in shared
    schemas; a project layout of a built-in name overrides it; a speech pack gets the built-in base schema."""
    files(tmp_path / "templates", {
        "news/brief/template.yaml": "title: 简讯\nlayout: news\nschemas:\n  - {file: speech/schema.yaml, fields: [year, unit]}\n"
                                    "  - news/event.yaml\n  - news/meeting/schema.yaml\n",
        "news/brief/outline.md.j2": '{%- set ev = event %}{% set release = ev.release %}{% set fact_title = [ev.name] %}'
                                    '{% include "headline" +%}\n\n{% include "dateline" %}{{ ev.date|zh_day(year) }}。\n',
        "speech/base/template.yaml": "title: 用基础字段\n",
        "speech/base/outline.md.j2": "# {{ speech.meeting.full_name }}\n",
        "layouts/news.yaml": "extends: gbt9704\npage:\n  margin_top: 1000\n",
    })
    result = cli_in("news", SAMPLE, "--event", "2024-01", "--style", "brief", "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 0, result.output
    assert txt(tmp_path).splitlines()[:2] == ["2024年全区统一战线工作会议", "　　本报讯（通讯员 林晓岚）3月28日。"]
    result = cli_in("news", SAMPLE, "--event", "2024-01", "--style", "brief", "-o", "out.docx")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out.docx") as package:
        assert 'w:top="1000"' in package.read("word/document.xml").decode()  # the project's news layout
    result = cli_in("speech", SAMPLE, "--style", "base", "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 0, result.output
    assert txt(tmp_path) == "全市基层统一战线工作现场推进会\n"  # read through the built-in speech/schema.yaml
    assert find_pack("speech", "base", template_roots()).base_schema == builtin_templates() / "speech" / "schema.yaml"


def test_a_pack_that_names_its_kinds_base_schema_takes_only_those_fields():
    host = find_pack("speech", "host")
    assert host.base_schema is None
    assert (builtin_templates() / "speech" / "schema.yaml", ("year", "unit")) in host.schema_files
    fields = load_schema(host.schema_files).root.fields
    assert "event" in fields and "speech" not in fields and "areas" not in fields
    assert find_pack("speech", "report").base_schema == builtin_templates() / "speech" / "schema.yaml"


# --- packages: the drafter.templates entry point, with a fake distribution on sys.path

def fake_distribution(folder, entry_points, name="qinghe-templates"):
    info = folder / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[drafter.templates]\n" + entry_points, encoding="utf-8")
    return folder


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path holding a fake installed distribution that ships packs."""
    folder = tmp_path / "site"
    files(folder, {"qinghe_templates/__init__.py": "raise RuntimeError('drafter must not import this module')\n",
                   **{f"qinghe_templates/{k}": v for k, v in pack_tree("speech", "pkg", "包里的样式").items()},
                   "qinghe_paths.py": "import pathlib\nFOLDER = pathlib.Path(__file__).parent / 'more'\n",
                   **{f"more/{k}": v for k, v in pack_tree("speech", "pkg2", "路径给出的样式").items()}})
    fake_distribution(folder, "house = qinghe_templates\nmore = qinghe_paths:FOLDER\nbroken = no_such_module\n")
    monkeypatch.syspath_prepend(str(folder))
    return folder


def test_installed_packages_ship_packs_through_the_entry_point(cli_in, site, tmp_path):
    listing = cli_in("templates")
    assert re.search(r"^speech\s+pkg\s+包里的样式\s+包 qinghe-templates$", listing.output, re.M), listing.output
    assert "pkg2" not in listing.output  # module:attr would need the package's code run to give a folder
    assert "入口点 more = qinghe_paths:FOLDER 无法使用：drafter.templates 的入口点应写一个模块名" in listing.output
    assert "入口点 broken = no_such_module 无法使用" in listing.output  # listed, and the rest still work
    assert listing.exit_code == 0
    result = cli_in("speech", SAMPLE, "--style", "pkg", "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 0, result.output
    assert txt(tmp_path).startswith("中共枫岭市青禾区委统战部")
    files(tmp_path / "templates", pack_tree("speech", "pkg", "项目里的同名样式"))
    assert re.search(r"^speech\s+pkg\s+项目里的同名样式\s+项目（覆盖包 qinghe-templates）$",
                     cli_in("templates").output, re.M)  # the project overrides packages


def test_a_package_installed_or_changed_later_is_seen_despite_the_cache(tmp_path, monkeypatch):
    """The entry points are cached under the stamps of the distributions' entry_points.txt files."""
    from drafter import entry_points

    folder = tmp_path / "site"
    files(folder, {f"qinghe_templates/{k}": v for k, v in pack_tree("speech", "pkg", "后装的样式").items()})
    monkeypatch.syspath_prepend(str(folder))

    def origins():
        entry_points._package_sources_on.cache_clear()  # as a new process would start
        return {s.origin for s in template_sources() if s.problem is None}

    assert "包 qinghe-templates" not in origins()
    fake_distribution(folder, "house = qinghe_templates\n")
    assert "包 qinghe-templates" in origins()
    declared = folder / "qinghe_templates-1.0.dist-info" / "entry_points.txt"
    declared.write_text("[drafter.templates]\n", encoding="utf-8")  # a new version drops it
    os.utime(declared, ns=(1, 1))
    assert "包 qinghe-templates" not in origins()


def test_entry_points_on_python_3_9(site, monkeypatch):
    """Python 3.9's entry_points() is a dict of groups whose entry points do not know their
    distribution: drafter asks the distributions instead."""
    from importlib import metadata

    from drafter import entry_points

    entry_points._package_sources_on.cache_clear()
    monkeypatch.setattr(metadata, "entry_points", lambda: {"drafter.templates": []})
    origins = {s.origin for s in template_sources() if s.problem is None}
    assert "包 qinghe-templates" in origins
    assert {s.path.name for s in template_sources() if s.origin == "包 qinghe-templates" and not s.problem} == \
        {"qinghe_templates"}


def test_the_cli_imports_no_entry_points_and_no_template_machinery():
    probe = ("import sys; from drafter.cli import cli; "
             "print([m for m in ('importlib.metadata', 'jinja2', 'drafter.templates') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stderr


def test_templates_lists_every_builtin_style_with_its_chinese_name(cli_in):
    result = cli_in("templates")
    assert result.exit_code == 0, result.output
    rows = {tuple(line.split()[:2]): line.split()[2:] for line in result.output.splitlines()[1:] if line.strip()}
    builtin = sorted(builtin_templates().glob("*/*/template.yaml"))
    assert len(builtin) >= 9
    for meta in builtin:
        kind, style = meta.parent.parent.name, meta.parent.name
        title = yaml.safe_load(meta.read_text(encoding="utf-8"))["title"]
        assert rows[(kind, style)] == [title, "内置"], (kind, style)
    assert result.output.splitlines()[0].split() == ["文种", "样式", "中文名", "来源"]


def test_templates_show_gives_the_description_and_the_facts_read(cli_in):
    result = cli_in("templates", "show", "speech/leader")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    meta = yaml.safe_load((builtin_templates() / "speech" / "leader" / "template.yaml").read_text(encoding="utf-8"))
    assert lines[0] == "speech/leader：领导讲话" and f"说明：{meta['description']}" in lines
    rows = {line.split()[0]: line.split()[1:] for line in lines if line.startswith("  ") and len(line.split()) >= 4}
    assert rows["讲话.会议.名称"][:3] == ["address.meeting.name", "文字", "必填"]
    assert rows["讲话.会议.日期"] == ["address.meeting.date", "日期", "可选", "2024-12-26"]
    assert rows["讲话.任务.要点[].标题"][:3] == ["address.tasks.points[].heading", "文字", "必填"]
    assert rows["工作领域[].概述"][:3] == ["areas[].summary", "文字", "可选"]  # a section may go straight to its points
    assert rows["工作领域[].要点[].内容"][:3] == ["areas[].points[].text", "文字", "必填"]  # 成绩 prints the points
    assert "汇报.会议.会议全称" not in rows
    assert not any("另有" in line for line in lines)  # the speech reads every field its schemas define
    assert "形式（这个样式有：部分、节、点；缺省如下" in result.output
    assert "  名称=成绩的部分里：节 一是 连写 分段；点 无 连写 接上段" in lines
    assert any(line.split()[:2] == ["首先", "首先，……"] for line in lines)  # every choice with its one-line example
    required = cli_in("templates", "show", "speech/host").output  # a required field shows, read or not
    assert any(line.split()[:2] == ["单位.全称", "unit.full_name"] for line in required.splitlines())
    host = required
    assert "没有可选的形式" in host and "可选的序号" not in host  # the host script has no levels to form
    report = cli_in("templates", "show", "speech/report").output
    assert "单位.地区" not in report and "（字段定义里另有 2 项本样式的模板没有用到；--all 全部列出）" in report
    everything = cli_in("templates", "show", "speech/report", "--all").output
    assert "单位.地区" in everything and "另有" not in everything
    assert cli_in("templates", "show", "speech/nope").exit_code == 1
    assert cli_in("templates", "show", "nonsense").exit_code == 1


def test_templates_new_makes_a_working_skeleton_and_style_uses_it(cli_in, tmp_path):
    result = cli_in("templates", "new", "speech/述职")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "templates" / "speech" / "述职"
    assert sorted(p.name for p in folder.iterdir()) == ["outline.md.j2", "schema.yaml", "template.yaml"]
    result = cli_in("speech", SAMPLE, "--style", "述职", "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 0, result.output
    assert txt(tmp_path).startswith("中共枫岭市青禾区委统战部2024年")
    assert "汇报." not in result.output and "工作领域" not in result.output  # the skeleton reads only 年度、单位
    again = cli_in("templates", "new", "speech/述职")
    assert again.exit_code == 1 and "已经存在，不会覆盖" in again.output


def test_templates_new_from_copies_a_pack_and_refuses_to_overwrite(cli_in, tmp_path):
    result = cli_in("templates", "new", "speech/my-report", "--from", "speech/report")
    assert result.exit_code == 0, result.output
    assert "复制自 内置 speech/report" in result.output
    folder = tmp_path / "templates" / "speech" / "my-report"
    original = builtin_templates() / "speech" / "report"
    assert (folder / "outline.md.j2").read_text(encoding="utf-8") == (original / "outline.md.j2").read_text(encoding="utf-8")
    meta = (folder / "template.yaml").read_text(encoding="utf-8")
    assert re.search(r"^name: my-report\s+# 风格名", meta, re.M) and "title: 汇报发言" in meta
    (folder / "outline.md.j2").write_text("# 我改过的\n", encoding="utf-8")
    refused = cli_in("templates", "new", "speech/my-report", "--from", "speech/report")
    assert refused.exit_code == 1 and "不会覆盖" in refused.output
    assert (folder / "outline.md.j2").read_text(encoding="utf-8") == "# 我改过的\n"
    result = cli_in("speech", SAMPLE, "--style", "my-report", "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 0 and txt(tmp_path) == "我改过的\n"
    assert cli_in("templates", "new", "speech/x", "--from", "news/meeting").exit_code == 1
    assert "没有“minutes”这个文种" in cli_in("templates", "new", "minutes/x").output
    assert not (tmp_path / "templates" / "speech" / "x").exists()


# --- broken packs

BROKEN = {
    "bad-yaml": ({"template.yaml": "title: 坏\nlayout: [gbt9704\n", "outline.md.j2": "# 标题\n"},
                 r"templates/speech/bad-yaml/template\.yaml:\d+:\d+: "),
    "bad-key": ({"template.yaml": "title: 坏\ntitel: 坏\n", "outline.md.j2": "# 标题\n"},
                r"templates/speech/bad-key/template\.yaml:2:1: 未知的键“titel”，是否想写“title”？"),
    "bad-schema": ({"template.yaml": "title: 坏\n", "outline.md.j2": "# 标题\n",
                    "schema.yaml": "extra:\n  label: 额外\n  type: string\n  requird: true\n"},
                   r"templates/speech/bad-schema/schema\.yaml:4:3: extra\.requird: 未知规则“requird”，是否想写“required”？"),
    "bad-jinja": ({"template.yaml": "title: 坏\n", "outline.md.j2": "# 标题\n\n\n{{ unit. }}\n"},
                  r"templates/speech/bad-jinja/outline\.md\.j2:4: 模板语法错误："),
    "bad-layout": ({"template.yaml": "title: 坏\nlayout: nowhere\n", "outline.md.j2": "# 标题\n"},
                   r"templates/speech/bad-layout/template\.yaml: 找不到版式方案“nowhere”"),
    "no-outline": ({"template.yaml": "title: 坏\n"}, r"templates/speech/no-outline: 模板包缺少文件 outline\.md\.j2"),
}


def test_broken_packs_are_reported_with_file_and_line_and_the_others_still_listed(cli_in, tmp_path):
    for style, (tree, _) in BROKEN.items():
        files(tmp_path / "templates" / "speech" / style, tree)
    files(tmp_path / "templates", pack_tree("speech", "fine", "好的"))
    result = cli_in("templates")
    assert result.exit_code == 1
    for style, (_, message) in BROKEN.items():
        assert re.search(rf"^speech\s+{style}\s+\S*（有错，见下）\s+项目$", result.output, re.M), style
        assert re.search(rf"^speech/{style}（.*）有错，不能使用：\n(  .*\n)*  .*{message}", result.output, re.M), style
    assert re.search(r"^speech\s+fine\s+好的\s+项目$", result.output, re.M)
    assert re.search(r"^speech\s+report\s+汇报发言\s+内置$", result.output, re.M)
    assert cli_in("speech", SAMPLE, "--style", "fine", "--format", "txt", "-o", "out.txt").exit_code == 0


@pytest.mark.parametrize("style", sorted(BROKEN))
def test_drafting_with_a_broken_pack_stops_with_its_file_and_line(cli_in, tmp_path, style):
    tree, message = BROKEN[style]
    files(tmp_path / "templates" / "speech" / style, tree)
    result = cli_in("speech", SAMPLE, "--style", style, "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 1
    if style != "bad-layout":  # a missing layout is found when the layout is loaded, without the pack's file
        assert re.search(message, result.output), result.output
    assert "Traceback" not in result.output and not (tmp_path / "out.txt").exists()


# --- names and fields no schema declares, found before rendering

UNDECLARED = [
    ("{{ no_such_fact }}", 3, None, "模板用到了没有定义的名字“no_such_fact”"),
    ("{{ uint.full_name }}", 3, None, "是否想写“unit”？"),
    ("{{ 单位.全称 }}", 3, None, "事实表里的“单位”在模板里写作 unit"),
    ("{{ unit.ful_name }}", 3, "unit.ful_name", "没有“ful_name”这一项，是否想写“full_name”？"),
    ("{% set u = unit %}\n{{ u.shortname }}", 4, "unit.shortname", "是否想写“short_name”？"),
    ("{% for area in areas %}{{ area.headng }}{% endfor %}", 3, "areas[].headng", "是否想写“heading”？"),
    ("{% for area in areas %}{% for p in area.points %}{{ p.txt }}{% endfor %}{% endfor %}", 3,
     "areas[].points[].txt", "是否想写“text”？"),
    ("{{ (areas|first).summry }}", 3, "areas[].summry", "是否想写“summary”？"),
    ("{{ areas.summary }}", 3, "areas.summary", "是列表，不能直接取“summary”"),
    ("{% with a = areas %}{% include 'part' %}{% endwith %}", 1, "areas[].effct", "是否想写“effect”？"),
    ("{% include 'nowhere' %}", 3, None, "找不到要引入的模板片段“nowhere”"),
    ("{{ speech.meeting.full_name }}\n{{ later }}\n{% set later = 1 %}", 4, None, "没有定义的名字“later”"),
]


@pytest.mark.parametrize("outline, line, path, message", UNDECLARED)
def test_undeclared_names_and_fields_are_found_before_rendering(cli_in, tmp_path, outline, line, path, message):
    files(tmp_path / "templates", {
        "speech/probe/template.yaml": "title: 试\n",
        "speech/probe/outline.md.j2": f"# 标题\n\n{outline}\n",
        "speech/part.j2": "{% for area in a %}{{ area.effct }}{% endfor %}\n",
    })
    result = cli_in("speech", SAMPLE, "--style", "probe", "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 1, result.output
    first = result.output.splitlines()[0]
    where = "part.j2" if "include 'part'" in outline else "probe/outline.md.j2"
    assert re.match(rf"\S*{re.escape(where)}:{line}: " + (re.escape(path) + ": " if path else ""), first), first
    assert message in first
    assert not (tmp_path / "out.txt").exists()


def test_the_builtin_globals_filters_and_loop_are_allowed(tmp_path):
    pack = make_pack(tmp_path, textwrap.dedent("""\
        # {{ name|zh_sentence }}
        {% for i in range(2) %}{{ cycler('a', 'b').next() }}{% endfor %}
        {% set ns = namespace(n=name) %}{{ ns.n }}{{ joiner('、')() }}{{ dict(a=name).a }}
        {{ name|zh_join|upper }}{% macro m(x) %}{{ x }}{{ caller() }}{% endmacro %}{% call m(name) %}呼{% endcall %}
        """))
    schema = load_schema(pack.schema_files)
    from drafter.template_check import outline_problems
    assert outline_problems(pack, schema) == []
    assert render_outline(pack, {"name": "青禾"}).plain.splitlines()[1:3] == ["aa", "青禾青禾"]


def test_a_field_named_like_a_dict_method_is_caught(tmp_path):
    pack = make_pack(tmp_path, "# {{ task.items }}\n",
                     schema="task:\n  label: 任务\n  type: dict\n  schema:\n    items:\n      label: 要点\n      type: string\n")
    from drafter.template_check import outline_problems
    problems = outline_problems(pack, load_schema(pack.schema_files))
    assert len(problems) == 1 and "与 Python 字典的方法同名" in problems[0].message
    assert problems[0].line == 1 and problems[0].path == "task.items"


def test_runtime_errors_name_the_template_line_and_the_fact(cli_in, tmp_path):
    files(tmp_path / "templates", {"speech/probe/template.yaml": "title: 试\n",
                                   "speech/probe/outline.md.j2":
                                   "# 标题\n\n\n{% set x = unit.full_name + 1 %}{{ x }}\n"})
    result = cli_in("speech", SAMPLE, "--style", "probe", "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 1
    assert re.search(r"probe/outline\.md\.j2:4: unit\.full_name: 模板出错：TypeError.*这一行读取的事实：unit\.full_name（单位\.全称）",
                     result.output), result.output


# --- the sandbox, through the CLI

HOSTILE = [
    "{% include '/etc/passwd' %}",
    "{% extends '../../../../etc/passwd' %}",
    "{% set p = '/etc/' ~ 'passwd' %}{% include p %}",
    "{{ open('/etc/passwd').read() }}",
    "{% import 'os' as os %}{{ os.system('echo hacked') }}",
    "{% from 'subprocess' import run %}",
    "{{ __import__('os').system('echo hacked') }}",
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ unit.__class__.__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__dict__ }}",
    "{{ unit['__class__'] }}",
    "{{ unit|attr('__class__') }}",
    "{{ unit|attr('_' ~ '_class__') }}",
    "{{ range(3)|map('attr', '__class__')|list }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ unit.full_name.format.__globals__ }}",
    "{{ 'x' * 100000000 }}",
    "{{ 9 ** 99999999 }}",
    "{% include 'outline.md.j2' %}",
]


@pytest.mark.parametrize("attempt", HOSTILE)
def test_sandbox_escapes_stop_with_a_message_and_exit_1(cli_in, tmp_path, attempt):
    files(tmp_path / "templates", {"speech/evil/template.yaml": "title: 恶意\n",
                                   "speech/evil/outline.md.j2": f"# 标题\n\n{attempt}\n"})
    result = cli_in("speech", SAMPLE, "--style", "evil", "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 1, result.output
    assert re.search(r"evil/outline\.md\.j2:3: .*(程序内部|不允许|没有定义的名字|找不到要引入的模板片段|引入了自己|数字)",
                     result.output), result.output
    assert "hacked" not in result.output and "root:" not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.txt").exists()


def test_a_fragment_linked_from_outside_the_template_folders_is_not_read(cli_in, tmp_path):
    secret = tmp_path / "secret.j2"
    secret.write_text("机密内容\n", encoding="utf-8")
    files(tmp_path / "templates", {"speech/evil/template.yaml": "title: 恶意\n",
                                   "speech/evil/outline.md.j2": "# 标题\n\n{% include 'leak' %}\n"})
    try:
        os.symlink(secret, tmp_path / "templates" / "speech" / "evil" / "leak.j2")
    except (OSError, NotImplementedError):
        pytest.skip("no symbolic links here")
    result = cli_in("speech", SAMPLE, "--style", "evil", "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 1 and "找不到要引入的模板片段“leak”" in result.output
    assert "机密内容" not in result.output


@pytest.mark.parametrize("outline, line", [
    ("# 标题\n建立示范点29个。\n", 2),
    ("# 标题\n\n\n{{ year + 1 }}年工作计划\n", 4),
    ("# 标题\n{% for a in items %}第{{ loop.index }}项{% endfor %}\n", 2),
    ("# 标题\n{{ 2025 }}\n", 2),
])
def test_templates_cannot_make_up_numbers(tmp_path, outline, line):
    pack = make_pack(tmp_path, outline, schema="year:\n  label: 年度\n  type: integer\nitems:\n  label: 事项\n"
                                               "  type: list\n")
    from drafter.template_check import outline_problems
    from drafter.validate import load_schema
    problems = outline_problems(pack, load_schema(pack.schema_files))
    assert [(p.line, "数字" in p.message) for p in problems] == [(line, True)]


def test_a_new_pack_named_like_a_built_in_one_says_it_replaces_it(cli_in, tmp_path):
    result = cli_in("templates", "new", "speech/report", "--from", "speech/report")
    assert result.exit_code == 0
    assert "注意：与已有的样式 speech/report 同名" in result.output
    assert "注意" not in cli_in("templates", "new", "speech/brand-new").output


def test_a_style_is_a_folder_name_never_a_path(cli_in):
    result = cli_in("speech", SAMPLE, "--style", "../report/summary", "--format", "txt")
    assert result.exit_code == 1 and "不能含路径" in result.output
    assert not list(Path(".").glob("*.txt"))


def test_a_folder_without_pack_files_does_not_hide_the_builtin_style(cli_in, tmp_path):
    files(tmp_path / "templates", {"speech/host/README.txt": "以后再写\n"})
    result = cli_in("speech", SAMPLE, "--style", "host", "--event", "2024-01", "--format", "txt")
    assert result.exit_code == 0, result.output


def test_a_misspelled_key_of_a_shared_schema_entry_is_reported(cli_in, tmp_path):
    tree = pack_tree("speech", "typo", "拼错")
    tree["speech/typo/template.yaml"] = "title: 拼错\nschemas:\n  - {file: speech/schema.yaml, feilds: [unit]}\n"
    files(tmp_path / "templates", tree)
    result = cli_in("speech", SAMPLE, "--style", "typo", "--format", "txt")
    assert result.exit_code == 1 and "feilds" in result.output and "是否想写“fields”" in result.output


def test_a_line_of_tags_only_leaves_nothing_behind(tmp_path):
    """{% if %}, {% for %}, {% set %} alone on a line (or a comment of whole lines) vanish; every other
    line break stays, also after a tag ending a line of text, and {%- -%} still works."""
    pack = make_pack(tmp_path, textwrap.dedent("""\
        # 标题
        {# 说明：
           两行的注释 #}
        {% set word = name %}
          {% if name %}  {% if word %}
        甲{{ word }}{% endif %}
        {% endif %}
        {% for i in range(2) %}{{ word }}{% endfor %}
        乙{%- if name %}丙{% endif -%}
        丁

        戊
        """))
    assert render_outline(pack, {"name": "青禾"}).plain.splitlines() == ["# 标题", "甲青禾", "青禾青禾", "乙丙丁", "",
                                                                         "戊"]
    assert render_outline(pack, {"name": ""}).plain.splitlines() == ["# 标题", "", "乙丁", "", "戊"]


def test_tag_lines_vanish_in_a_notepad_template_and_line_numbers_stay_the_files(tmp_path):
    pack = make_pack(tmp_path, "# 标题\r\n{% if name %}\r\n{{ name }}\r\n{% endif %}\r\n\r\n结束。\r\n")
    assert render_outline(pack, {"name": "青禾"}).plain.splitlines() == ["# 标题", "青禾", "", "结束。"]
    (pack.folder / "outline.md.j2").write_text("# 标题\n{% if name %}\n{# 注 #}\n\n{{ no_such_fact }}\n{% endif %}\n",
                                              encoding="utf-8")
    with pytest.raises(DrafterError) as caught:
        render_outline(find_pack("speech", "custom", [tmp_path]), {"name": "青禾"})
    assert caught.value.problems[0].line == 5
