"""Layout profiles as data: inheritance, checking, heading numbers."""
import pytest

from drafter.document import parse_outline
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
])
def test_broken_profiles_are_reported(tmp_path, text, message):
    with pytest.raises(DrafterError) as caught:
        load_layout("house", house(tmp_path, text))
    assert message in str(caught.value)


def test_heading_labels_count_per_parent():
    layout = load_layout("gbt9704", [BUILTIN])
    doc = parse_outline("## 甲\n\n### 子\n\n### 子\n\n#### 孙\n\n##### 曾孙\n\n## 乙 {.不编号}\n\n## 丙\n\n### 子\n")
    assert list(layout.heading_labels(doc).values()) == ["一、", "（一）", "（二）", "1.", "（1）", "", "二、", "（一）"]
