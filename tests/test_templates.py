"""Rendering outlines: the sample pack, fact values that look like markup, and broken or hostile templates."""
import re
from pathlib import Path

import pytest
import yaml

from drafter.document import Heading, Paragraph, plain_text
from drafter.errors import DrafterError
from drafter.facts import load_sheet
from drafter.pipeline import make_draft
from drafter.templates import builtin_templates, find_pack, render_outline
from drafter.validate import load_schema, validate

SAMPLE = Path(__file__).resolve().parent.parent / "facts" / "2024.yaml"


def sample_facts():
    pack = find_pack("speech", "report")
    return pack, validate(load_sheet(SAMPLE), load_schema(pack.schema_files))


def test_sample_outline_has_the_genre_skeleton():
    pack, facts = sample_facts()
    outline = render_outline(pack, facts)
    lines = outline.splitlines()
    assert lines[0] == f"# 在{facts['speech']['meeting']['full_name']}上的汇报发言"
    assert "尊敬的各位领导，同志们：{.称谓}" in lines
    assert sum(line.endswith("{.领句 .不编号}") for line in lines) == len(facts["areas"])
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
    assert plain_text(draft.document.blocks[6].lead.inlines).startswith("### 织牢制度，")


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
    assert render_outline(pack, facts).splitlines()[1] == "会议在[会议地点]{.待补}召开，[会议地点]{.待补}"


def test_dates_print_the_chinese_way(tmp_path):
    pack = make_pack(tmp_path, "# 标题\n{{ day }}｜{{ day|zh_month_day }}\n",
                     schema="day:\n  label: 日期\n  type: date\n")
    facts = validate(load_sheet(write(tmp_path / "s.yaml", "日期: 2024-04-03\n")), load_schema(pack.schema_files))
    assert render_outline(pack, facts).splitlines()[1] == "2024年4月3日｜4月3日"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_style_lists_the_available_ones():
    with pytest.raises(DrafterError) as caught:
        find_pack("speech", "nope")
    assert "report" in str(caught.value)
    assert builtin_templates().joinpath("speech", "report", "outline.md.j2").is_file()
