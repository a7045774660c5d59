"""Layout profiles as data: inheritance, checking; numbering is the form's, not the profile's."""
import pytest

from drafter.errors import DrafterError
from drafter.layout import load_layout
from drafter.templates import builtin_templates

BUILTIN = builtin_templates() / "layouts"


def house(tmp_path, text, name="house"):
    (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return [BUILTIN, tmp_path]


def test_a_profile_extends_another_and_overrides_a_few_values(tmp_path):
    folders = house(tmp_path, "extends: gbt9704\nstyles:\n  body: {line: 560}\n  heading2: {bold: true}\n")
    layout = load_layout("house", folders)
    assert layout.styles["body"]["line"] == 560
    assert layout.styles["salutation"]["line"] == 560  # other styles inherit the body's values
    assert layout.styles["heading2"]["bold"] is True and layout.styles["heading2"]["font"] == "楷体_GB2312"
    assert layout.page["margin_top"] == 2098


@pytest.mark.parametrize("text, message", [
    ("extends: house\n", "循环继承"),
    ("extends: nowhere\n", "找不到版式方案“nowhere”"),
    ("extends: gbt9704\nstyles:\n  body: {colour: red}\n", "未知的属性“colour”"),
    ("extends: gbt9704\nstyles:\n  body: {size: 大}\n", "类型不对"),
    ("extends: gbt9704\nstyles:\n  body: {align: middle}\n", "align 应为"),
    ("extends: gbt9704\nstyles:\n  footnote: {size: 12}\n", "未知的样式“footnote”"),
    ("extends: gbt9704\npage: {width: abc}\n", "page.width 的值“abc”类型不对"),
    ("extends: gbt9704\nstyles:\n  body: {size: 0}\n", "styles.body.size 应大于 0"),
    ("extends: gbt9704\npaper: A4\n", "未知的项“paper”"),
    ("extends: gbt9704\npage_number: {odd: middle}\n", "page_number.odd 应为"),
    ("extends: gbt9704\nstyles:\n  body: 16\n", "styles.body 应是“属性: 值”的映射"),
    ("extends: gbt9704\nstyles: [body]\n", "styles 应是“样式: 属性”的映射"),
    ("extends: gbt9704\ncharacters: {run-in1: 3}\n", "characters.run-in1 应是"),
    ("page: {width: 1}\npage_number: {enabled: false}\nlatin_font: x\n"
     "styles: {body: {font: 仿宋, size: 16, line: 579, align: justify}}\n", "page 缺少 height"),
    ("page: {width: 1}\npage_number: {enabled: false}\nlatin_font: x\n"
     "styles: {body: {font: 仿宋, size: 16, line: 579, align: justify}}\n", "styles.title 缺少 name"),
])
def test_broken_profiles_are_reported(tmp_path, text, message):
    with pytest.raises(DrafterError) as caught:
        load_layout("house", house(tmp_path, text))
    assert message in str(caught.value)


def test_a_profile_file_given_by_path_is_read_alone(tmp_path):
    """--layout 路径/我单位.yml: that file (either ending), extending a profile by name; the files
    beside it are not layouts (a fact sheet next to it is not read as one)."""
    (tmp_path / "2024.yaml").write_text("年度: 2024\n", encoding="utf-8")
    (tmp_path / "我单位.yml").write_text("extends: gbt9704\nstyles:\n  body: {line: 560}\n", encoding="utf-8")
    layout = load_layout(str(tmp_path / "我单位.yml"), [BUILTIN])
    assert layout.styles["body"]["line"] == 560 and layout.name == "我单位"
    with pytest.raises(DrafterError) as caught:
        load_layout(str(tmp_path / "没有.yaml"), [BUILTIN])
    assert "找不到版式方案" in str(caught.value) and "2024" not in str(caught.value).split("可用")[-1]


@pytest.mark.parametrize("text", [
    "extends: gbt9704\nnumbering: [\"{cn}、\", \"（{cn}）\", \"{n}.\", \"（{n}）\"]\n",
    "extends: gbt9704\nnumbering: [\"{x}\"]\n",
])
def test_a_profile_with_numbering_is_refused_pointing_to_forms(tmp_path, text):
    """Enumerators are the form scheme's now (docs/forms.md): a profile still numbering is told so."""
    with pytest.raises(DrafterError) as caught:
        load_layout("house", house(tmp_path, text))
    message = str(caught.value)
    assert "标题序号不再由版式方案定" in message and "请删去 numbering" in message
    assert "template.yaml 的 form" in message and "docs/forms.md" in message
    assert "numbering" not in load_layout("gbt9704", [BUILTIN]).__dict__  # the built-in profile has none


def test_heading_numbers_count_per_parent_under_the_default_form():
    """What the profile's numbering did, the default form does: 一、（一）1.（1）, counted per parent."""
    from drafter.document import Generated, parse_outline

    doc = parse_outline("## 甲\n\n### 子\n\n### 子\n\n#### 孙\n\n##### 曾孙\n\n## 乙\n\n## 丙\n\n### 子\n")
    numbers = [i.text for i in doc.inlines() if isinstance(i, Generated)]  # run-in leads' too
    assert numbers == ["一、", "（一）", "（二）", "1.", "（1）", "二、", "三、", "（一）"]


def test_the_documented_house_profile_works_with_layout_option(tmp_path, monkeypatch):
    """docs/layouts.md's example, taken literally, drives a real draft."""
    import re
    import zipfile
    from pathlib import Path

    from click.testing import CliRunner

    from drafter.cli import cli

    root = Path(__file__).resolve().parent.parent
    doc = (root / "docs" / "layouts.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# 我单位\.yaml\n.*?)```", doc, re.S).group(1)
    (tmp_path / "我单位.yaml").write_text(example, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["speech", str(root / "facts" / "2024.yaml"), "--layout", "我单位.yaml",
                                      "-o", "out.docx"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out.docx") as z:
        styles, document = z.read("word/styles.xml").decode(), z.read("word/document.xml").decode()
    heading2 = re.search(r'<w:style [^>]*w:styleId="Heading2".*?</w:style>', styles, re.S).group(0)
    assert '<w:b w:val="1"/>' in heading2 and 'w:eastAsia="楷体_GB2312"' in heading2
    normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles, re.S).group(0)
    assert 'w:line="560" w:lineRule="exact"' in normal
    assert 'w:linePitch="560"' in document
