"""The font table (issue 14, fonts): every font a layout names is in word/fontTable.xml with the font
Word or WPS puts in its place where it is missing, so a machine without the GB fonts still draws
仿宋, 楷体 and 宋体 instead of a Latin fallback."""
import zipfile

import pytest
from lxml import etree

from drafter.layout import load_layout
from drafter.templates import builtin_templates
from drafter.writers.styles import lay_out

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize("name", ["gbt9704", "windows", "news"])
def test_every_font_named_has_an_entry_and_the_gb_fonts_a_substitute(name, tmp_path):
    layout = load_layout(name, [builtin_templates() / "layouts"])
    path = tmp_path / "p.docx"
    path.write_bytes(lay_out(layout))
    with zipfile.ZipFile(path) as package:
        table = etree.fromstring(package.read("word/fontTable.xml"))
        styles = package.read("word/styles.xml").decode("utf-8")
        rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
        types = package.read("[Content_Types].xml").decode("utf-8")
    assert "relationships/fontTable" in rels and "fontTable+xml" in types
    entries = {font.get(f"{{{W}}}name"): font for font in table.iter(f"{{{W}}}font")}
    for font in set(etree.fromstring(styles.encode()).xpath("//w:rFonts/@w:eastAsia", namespaces={"w": W})):
        assert font in entries, font  # every East Asian font a style names
    alternates = {name: font.find(f"{{{W}}}altName").get(f"{{{W}}}val")
                  for name, font in entries.items() if font.find(f"{{{W}}}altName") is not None}
    if "仿宋_GB2312" in entries:
        assert alternates["仿宋_GB2312"] == "仿宋" and alternates["方正小标宋简体"] == "宋体"
        assert entries["仿宋_GB2312"].find(f"{{{W}}}charset").get(f"{{{W}}}val") == "86"
    children = [[child.tag.split("}")[1] for child in font] for font in entries.values()]
    order = ["altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig"]
    assert all(tags == sorted(tags, key=order.index) for tags in children)  # the schema's child order


def test_a_wrong_font_entry_is_a_profile_error(tmp_path):
    from drafter.errors import DrafterError

    (tmp_path / "mine.yaml").write_text("extends: gbt9704\nfonts:\n  仿宋_GB2312: {alt: 仿宋, family: serif}\n",
                                        encoding="utf-8")
    with pytest.raises(DrafterError) as caught:
        load_layout(str(tmp_path / "mine.yaml"), [builtin_templates() / "layouts"])
    assert "fonts 的 family 只能是" in str(caught.value)
