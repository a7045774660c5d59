"""Template packs stay inside their folders, installed packs run no code, and an unusable template
folder is never passed over in silence (audit-reliability rows 3.14, 4.27, 4.29–4.34)."""
import os
import re
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.pipeline import make_draft

SAMPLE = Path(__file__).resolve().parent.parent / "facts" / "2024.yaml"
OUTLINE = "# {{ unit.full_name }}\n\n{{ unit.short_name }}的发言。\n"


def pack(title="试写", **meta):
    """A speech pack's files reading only the unit; ``meta`` adds template.yaml lines."""
    lines = [f"title: {title}"] + [f"{key}: {value}" for key, value in meta.items()]
    return {"template.yaml": "\n".join(lines) + "\nschemas:\n  - {file: speech/schema.yaml, fields: [unit]}\n",
            "outline.md.j2": OUTLINE}


def write(root, tree):
    for name, text in tree.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def run(tmp_path, monkeypatch):
    """drafter in a fresh project folder (tmp_path/work), without $DRAFTER_TEMPLATES unless given."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("DRAFTER_TEMPLATES", raising=False)

    def invoke(*args, env=None):
        return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
    return invoke


def drafted_files(root):
    return sorted(p for p in root.rglob("*") if p.suffix == ".docx" or p.name == "out.txt")


# --------------------------------------------------------------------------- row 3.14: output is a file name

@pytest.mark.parametrize("output, reason", [
    ("../../../escaped", "不能用的字符 /"),
    ("x/../../../../escaped2", "不能用的字符 /"),
    ("'..'", "以“.”开头或含有“..”"),
    ("汇报..发言", "以“.”开头或含有“..”"),
    ("'a\\b'", "不能用的字符 \\"),
    ("'C:escaped'", "不能用的字符 :"),
    (".hidden", "以“.”开头"),
    ("'汇报*发言?'", "不能用的字符 *?"),
    ('"汇报\\t发言"', "不能用的字符 \\t"),
    ("长" * 41, "超过 40 个字"),
])
def test_row_3_14_output_must_be_a_file_name_not_a_path(run, tmp_path, output, reason):
    write(tmp_path / "work" / "templates" / "speech" / "out", pack(output=output))
    (tmp_path / "work" / "2024-..").mkdir()  # what let ../../../escaped land three folders up
    (tmp_path / "work" / "2024-x").mkdir()
    result = run("speech", SAMPLE, "--style", "out")
    assert result.exit_code == 1, result.output
    assert re.search(r"templates/speech/out/template\.yaml:2:9: output: ", result.output), result.output
    assert reason in result.output and "不能含路径" in result.output
    assert drafted_files(tmp_path) == []


def test_row_3_14_a_title_standing_in_for_output_is_checked_too(run, tmp_path):
    write(tmp_path / "work" / "templates" / "speech" / "out", pack(title="上级/本级汇报"))
    result = run("speech", SAMPLE, "--style", "out")
    assert result.exit_code == 1
    assert "template.yaml:1:8: title: 没有写 output（输出文件名），就用 title 作输出文件名，但它含有" in result.output
    assert drafted_files(tmp_path) == []


def test_row_3_14_ordinary_output_names_still_work(run, tmp_path):
    write(tmp_path / "work" / "templates" / "speech" / "out", pack(output="2024年 工作.总结"))
    result = run("speech", SAMPLE, "--style", "out")
    assert result.exit_code == 0, result.output
    assert drafted_files(tmp_path) == [tmp_path / "work" / "2024-2024年 工作.总结.docx"]


# --------------------------------------------------------------------------- row 4.27: layout stays in the pack

@pytest.mark.parametrize("layout", [
    "/etc/passwd",
    "../../../../../../etc/os-release",
    "../../layouts/gbt9704.yaml",
    "'..\\..\\elsewhere.yaml'",
    "'C:\\layouts\\house.yaml'",
    "parts/../../x.yaml",
])
def test_row_4_27_a_layout_path_outside_the_pack_is_refused_at_its_line(run, tmp_path, layout):
    write(tmp_path / "work" / "templates" / "speech" / "lay", pack(layout=layout))
    result = run("speech", SAMPLE, "--style", "lay")
    assert result.exit_code == 1
    refusal = r"templates/speech/lay/template\.yaml:2:9: layout: 版式方案“.+”不能用绝对路径或“\.\.”"
    assert re.search(refusal, result.output), result.output
    assert "版式方案的最外层" not in result.output and drafted_files(tmp_path) == []
    listing = run("templates")  # the listing refuses it alike
    assert re.search(r"^speech\s+lay\s+lay（有错，见下）", listing.output, re.M)
    assert "template.yaml:2:9: layout: 版式方案" in listing.output


def test_row_4_27_a_layout_file_linked_from_outside_the_pack_is_refused(run, tmp_path):
    folder = write(tmp_path / "work" / "templates" / "speech" / "lay", pack(layout="house.yaml"))
    secret = write(tmp_path, {"secret.yaml": "extends: gbt9704\npage: {margin_top: 1000}\n"}) / "secret.yaml"
    try:
        os.symlink(secret, folder / "house.yaml")
    except (OSError, NotImplementedError):
        pytest.skip("no symbolic links here")
    result = run("speech", SAMPLE, "--style", "lay")
    assert result.exit_code == 1
    assert "template.yaml:2:9: layout: 版式方案“house.yaml”在本样式文件夹以外" in result.output
    assert drafted_files(tmp_path) == []


@pytest.mark.parametrize("layout", ["house.yaml", "parts/house.yml", "'parts\\house.yml'"])
def test_row_4_27_a_packs_own_layout_file_is_read_from_its_folder_not_the_current_one(run, tmp_path, layout):
    profile = "extends: gbt9704\npage: {margin_top: 1000}\n"
    folder = write(tmp_path / "work" / "templates" / "speech" / "lay", pack(layout=layout))
    write(folder, {"house.yaml": profile, "parts/house.yml": profile})
    result = run("speech", SAMPLE, "--style", "lay", "-o", "out.docx")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "work" / "out.docx") as package:
        assert 'w:top="1000"' in package.read("word/document.xml").decode()
    assert "有错" not in run("templates").output


def test_row_4_27_the_users_own_layout_file_stays_relative_to_the_current_folder(run, tmp_path):
    write(tmp_path / "work", {"mine.yaml": "extends: gbt9704\npage: {margin_top: 1200}\n"})
    result = run("speech", SAMPLE, "--layout", "mine.yaml", "-o", "out.docx")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "work" / "out.docx") as package:
        assert 'w:top="1200"' in package.read("word/document.xml").decode()


def test_row_4_27_extends_names_a_layout_never_a_file(run, tmp_path):
    folder = write(tmp_path / "work" / "templates" / "speech" / "lay", pack(layout="house.yaml"))
    write(folder, {"house.yaml": "extends: /etc/passwd\n"})
    result = run("speech", SAMPLE, "--style", "lay")
    assert result.exit_code == 1
    assert "extends 应是版式方案名（如 gbt9704），不能是“/etc/passwd”这样的路径" in result.output, result.output


@pytest.mark.parametrize("layout, message", [
    ("missing.yaml", "本样式文件夹里没有版式方案文件“missing.yaml”"),
    ("'两个 词'", "template.yaml:2:9: layout: 版式方案“两个 词”应是版式方案名"),
    ("sub/house", "版式方案“sub/house”应是版式方案名（如 gbt9704），或本样式文件夹里以 .yaml、.yml 结尾的文件"),
])
def test_row_4_27_the_listing_and_the_draft_agree_on_what_a_layout_is(run, tmp_path, layout, message):
    write(tmp_path / "work" / "templates" / "speech" / "lay", pack(layout=layout))
    listing = run("templates")
    assert listing.exit_code == 1 and message in listing.output, listing.output
    assert run("speech", SAMPLE, "--style", "lay").exit_code == 1


# --------------------------------------------------------------------------- rows 4.32–4.34: installed packs

BEHAVIOUR = {  # what evilpack/__init__.py does when something imports it
    "marker and sleep": "import pathlib, time\npathlib.Path(__file__).parent.parent.joinpath('RAN').touch()\n"
                        "time.sleep(10)\n",
    "SystemExit": "raise SystemExit(3)\n",
    "KeyboardInterrupt": "raise KeyboardInterrupt\n",
}


def evil_distribution(site, init, entry_points="qinghe = evilpack.tpl\n"):
    """A real installed distribution: a package with packs in evilpack/tpl/, its dist-info declaring them."""
    write(site, {"evilpack/__init__.py": init, "evilpack/tpl/__init__.py": init,
                 "evilpack/paths.py": "import pathlib\nFOLDER = pathlib.Path(__file__).parent / 'tpl'\n",
                 "evilpack-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: evilpack\nVersion: 1.0\n",
                 "evilpack-1.0.dist-info/entry_points.txt": "[drafter.templates]\n" + entry_points,
                 **{f"evilpack/tpl/speech/report/{name}": text for name, text in pack("包里的汇报").items()}})
    return site


@pytest.mark.parametrize("behaviour", sorted(BEHAVIOUR))
def test_rows_4_33_4_34_an_installed_pack_is_found_without_running_its_package(run, tmp_path, monkeypatch, behaviour):
    site = evil_distribution(tmp_path / "site", BEHAVIOUR[behaviour])
    monkeypatch.syspath_prepend(str(site))  # a new sys.path: the entry points are scanned afresh
    started = time.monotonic()
    result = run("speech", SAMPLE, "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 5
    assert not (site / "RAN").exists() and "evilpack" not in sys.modules
    assert (tmp_path / "work" / "out.txt").read_text(encoding="utf-8").startswith("中共枫岭市青禾区委统战部\n")
    assert re.search(r"^speech\s+report\s+包里的汇报\s+包 evilpack（覆盖内置）$", run("templates").output, re.M)


@pytest.mark.parametrize("through", ["entry point", "DRAFTER_TEMPLATES"])
def test_row_4_29_packs_from_packages_and_the_environment_render_in_the_same_sandbox(run, tmp_path, monkeypatch,
                                                                                     through):
    site = evil_distribution(tmp_path / "site", "")
    outline = site / "evilpack" / "tpl" / "speech" / "report" / "outline.md.j2"
    outline.write_text("# 标题\n\n{{ lipsum.__globals__['os'].getcwd() }}\n", encoding="utf-8")
    if through == "entry point":
        monkeypatch.syspath_prepend(str(site))
    result = run("speech", SAMPLE, "--format", "txt", "-o", "out.txt",
                 env={"DRAFTER_TEMPLATES": str(site / "evilpack" / "tpl")} if through != "entry point" else None)
    assert result.exit_code == 1 and f"{outline}:3: " in result.output, result.output
    assert str(tmp_path / "work") not in result.output and drafted_files(tmp_path) == []


def test_row_4_32_a_draft_says_which_package_its_pack_came_from(run, tmp_path, monkeypatch):
    site = evil_distribution(tmp_path / "site", "")
    monkeypatch.syspath_prepend(str(site))
    result = run("speech", SAMPLE, "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 0, result.output
    notice = r"^提示：样式 speech/report 取自包 evilpack（.*evilpack/tpl/speech/report），覆盖了内置的同名样式$"
    assert re.search(notice, result.output, re.M), result.output
    assert "取自" not in run("speech", SAMPLE, "--style", "leader", "--format", "txt", "-o", "b.txt").output


def test_row_4_33_a_module_attr_entry_point_is_listed_as_unusable_and_not_run(run, tmp_path, monkeypatch):
    site = evil_distribution(tmp_path / "site", BEHAVIOUR["marker and sleep"], "more = evilpack.paths:FOLDER\n")
    monkeypatch.syspath_prepend(str(site))
    listing = run("templates")
    assert listing.exit_code == 0 and not (site / "RAN").exists()
    assert "入口点 more = evilpack.paths:FOLDER 无法使用：drafter.templates 的入口点应写一个模块名" in listing.output
    assert re.search(r"^speech\s+report\s+汇报发言\s+内置$", listing.output, re.M)
    assert run("speech", SAMPLE, "--format", "txt", "-o", "out.txt").exit_code == 0


class Refusing:
    """A finder that fails while drafter asks where a module is."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "nowhere_on_disk":
            raise SystemExit(3)
        return None


def test_row_4_34_a_failure_while_locating_marks_the_package_broken_and_drafting_goes_on(run, tmp_path, monkeypatch):
    site = evil_distribution(tmp_path / "site", "", "qinghe = nowhere_on_disk\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(sys, "meta_path", [Refusing] + sys.meta_path)
    assert run("speech", SAMPLE, "--format", "txt", "-o", "out.txt").exit_code == 0
    listing = run("templates")
    assert "（包 evilpack）不能使用：入口点 qinghe = nowhere_on_disk 无法使用（SystemExit：3）" in listing.output


def test_row_4_34_a_malformed_entry_points_file_stops_no_draft(run, tmp_path, monkeypatch):
    site = evil_distribution(tmp_path / "site", "", "a line without its value\n")
    monkeypatch.syspath_prepend(str(site))
    assert run("speech", SAMPLE, "--format", "txt", "-o", "out.txt").exit_code == 0
    listing = run("templates")
    assert listing.exit_code == 0 and "（已安装的包）不能使用：读不出已安装的包的入口点（" in listing.output


class Editable:
    """What an editable install puts on sys.meta_path: a name mapped to its source folder."""

    folder = None

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        from importlib.util import spec_from_file_location

        if name != "editable_packs":
            return None
        return spec_from_file_location(name, cls.folder / "__init__.py", submodule_search_locations=[str(cls.folder)])


def test_an_editable_install_of_a_template_package_is_found(run, tmp_path, monkeypatch):
    source = write(tmp_path / "src" / "editable_packs", {"__init__.py": "raise SystemExit(3)\n",
                                                         **{f"speech/mine/{k}": v for k, v in pack("可编辑").items()}})
    site = evil_distribution(tmp_path / "site", "", "mine = editable_packs\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(Editable, "folder", source)
    monkeypatch.setattr(sys, "meta_path", sys.meta_path + [Editable])
    assert re.search(r"^speech\s+mine\s+可编辑\s+包 evilpack$", run("templates").output, re.M)


# --------------------------------------------------------------------------- rows 4.30–4.31: no silent fallback

UNUSABLE = {
    "missing": (lambda root: root / "no-such-share", "找不到这个文件夹"),
    "one pack": (lambda root: write(root / "one", pack()), "这是一个模板包；请给出包含“文种/样式/”的上两级文件夹"),
    "empty": (lambda root: write(root / "empty", {"README.txt": "以后放模板\n", "docs/说明.md": "\n"}),
              "里面没有 drafter 能读的模板"),
}


@pytest.mark.parametrize("case", sorted(UNUSABLE))
def test_row_4_30_an_unusable_environment_folder_is_warned_about_on_every_draft(run, tmp_path, case):
    make, problem = UNUSABLE[case]
    folder = make(tmp_path)
    env = {"DRAFTER_TEMPLATES": str(folder)}
    warning = f"提示：模板文件夹 {folder}（环境变量 DRAFTER_TEMPLATES）不能使用：{problem}"
    for attempt in ("a.txt", "b.txt"):
        result = run("speech", SAMPLE, "--format", "txt", "-o", attempt, env=env)
        assert result.exit_code == 0 and warning in result.output, result.output
    listing = run("templates", env=env)  # still listed as unusable
    assert listing.exit_code == 0 and warning.replace("提示：", "") in listing.output


def test_row_4_30_the_draft_carries_the_warning(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRAFTER_TEMPLATES", str(tmp_path / "unmounted"))
    draft = make_draft("speech", SAMPLE, "report")
    assert any("unmounted（环境变量 DRAFTER_TEMPLATES）不能使用：找不到这个文件夹" in w.message for w in draft.warnings)


@pytest.mark.parametrize("case", sorted(set(UNUSABLE) - {"missing"}))
def test_row_4_30_an_unusable_templates_option_stops_the_draft(run, tmp_path, case):
    make, problem = UNUSABLE[case]
    folder = make(tmp_path)
    result = run("speech", SAMPLE, "--templates", folder, "--format", "txt", "-o", "out.txt")
    assert result.exit_code == 1
    assert f"模板文件夹 {folder}（命令行 --templates）不能使用：{problem}" in result.output
    assert drafted_files(tmp_path) == []


def test_row_4_30_an_unreadable_folder_is_reported(run, tmp_path, monkeypatch):
    folder = write(tmp_path / "locked", {"speech/closing.j2": "谢谢大家！\n"})
    listing = os.scandir

    def scandir(path="."):
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)
    monkeypatch.setattr(os, "scandir", scandir)
    result = run("speech", SAMPLE, "--format", "txt", "-o", "out.txt", env={"DRAFTER_TEMPLATES": str(folder)})
    assert result.exit_code == 0 and "locked（环境变量 DRAFTER_TEMPLATES）不能使用：无法读取（Permission denied）" in \
        result.output, result.output


def test_row_4_31_a_missing_templates_option_is_a_usage_error(run, tmp_path):
    result = run("speech", SAMPLE, "--templates", tmp_path / "no-such", "--format", "txt")
    assert result.exit_code == 2 and "does not exist" in result.output


@pytest.mark.parametrize("tree", [
    {"layouts/house.yaml": "extends: gbt9704\n"},
    {"speech/closing.j2": "谢谢大家！\n"},
    {"news/types.yaml": "{}\n"},
    {"speech/mine/template.yaml": "title: 我的\n"},  # a broken pack is still something to read
], ids=["layout", "fragment", "shared file", "pack"])
def test_row_4_30_a_folder_with_anything_drafter_reads_is_used_without_a_word(run, tmp_path, tree):
    folder = write(tmp_path / "extra", tree)
    for given in (["--templates", folder], []):
        result = run("speech", SAMPLE, *given, "--format", "txt", "-o", "out.txt", "--force",
                     env={"DRAFTER_TEMPLATES": str(folder)} if not given else None)
        assert result.exit_code == 0 and "模板文件夹" not in result.output, result.output
