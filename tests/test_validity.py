"""Validity in CI (issue 14): every style × layout drafts a package that openxml-audit (a port of the
Open XML SDK validator) passes with no error and no warning, and whose w:pPr / w:rPr children stand
in the schema's order — a mistake Word repairs silently or refuses, which a schema-less check misses."""
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from drafter.cli import cli

openxml_audit = pytest.importorskip("openxml_audit", reason="pip install '.[test]' brings openxml-audit (Python 3.10 and later)")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SAMPLE = str(Path(__file__).resolve().parent.parent / "facts" / "2024.yaml")
DRAFTS = {
    "汇报发言": ["speech"], "领导讲话": ["speech", "--style", "leader"],
    "主持词": ["speech", "--style", "host", "--event", "2024-01"],
    "年度工作总结": ["report"], "经验交流材料": ["report", "--style", "experience"],
    "会议新闻稿": ["news", "--event", "2024-01"], "培训新闻稿": ["news", "--event", "2024-02"],
    "活动新闻稿": ["news", "--event", "2024-03"], "工作综述": ["news", "--style", "feature"],
}
# ISO/IEC 29500 CT_PPrBase + CT_PPr and CT_RPr: the order the children of w:pPr and w:rPr must keep
PPR = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
       "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
       "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
       "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
RPR = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
       "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
       "em lang eastAsianLayout specVanish oMath").split()


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("drafts")
    made = {}
    for layout in ("gbt9704", "windows", "news"):
        for name, command in DRAFTS.items():
            out = folder / f"{name}-{layout}.docx"
            result = CliRunner().invoke(cli, command[:1] + [SAMPLE] + command[1:] + ["--layout", layout, "-o", str(out)])
            assert result.exit_code == 0, (name, layout, result.output)
            made[(name, layout)] = out
    return made


@pytest.mark.parametrize("file_format", ["office2007", "microsoft365"])
def test_every_style_and_layout_passes_openxml_audit(drafts, file_format):
    validator = openxml_audit.OpenXmlValidator(file_format=openxml_audit.FileFormat(file_format), strict=False)
    findings = {}
    for key, path in drafts.items():
        result = validator.validate(str(path))
        if result.error_count or result.warning_count:
            findings[key] = [str(e) for e in result.errors][:3]
    assert findings == {}


def test_property_children_keep_the_schema_order(drafts):
    wrong = []
    for key, path in drafts.items():
        with zipfile.ZipFile(path) as package:
            for part in ("word/document.xml", "word/styles.xml"):
                root = etree.fromstring(package.read(part))
                for tag, order in (("pPr", PPR), ("rPr", RPR)):
                    for element in root.iter(f"{{{W}}}{tag}"):
                        names = [etree.QName(child).localname for child in element]
                        known = [n for n in names if n in order]
                        if known != sorted(known, key=order.index) or len(known) != len(names):
                            wrong.append((key, part, tag, names))
    assert wrong == []


def test_the_review_and_comments_copies_pass_openxml_audit(tmp_path):
    """The 核稿 copies add a comments part and comment ranges: still a package Word opens."""
    draft = tmp_path / "发言.docx"
    assert CliRunner().invoke(cli, ["speech", SAMPLE, "-o", str(draft), "--review"]).exit_code == 0
    with zipfile.ZipFile(draft) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace("5次".encode(), "6次".encode(), 1)
    edited = tmp_path / "改过.docx"
    with zipfile.ZipFile(edited, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    comments = tmp_path / "批注.docx"
    assert CliRunner().invoke(cli, ["check", str(edited), SAMPLE, "--comments", str(comments)]).exit_code == 1
    validator = openxml_audit.OpenXmlValidator(file_format=openxml_audit.FileFormat("microsoft365"), strict=False)
    for path in (tmp_path / "发言-核稿.docx", comments):
        result = validator.validate(str(path))
        assert (result.error_count, result.warning_count) == (0, 0), [str(e) for e in result.errors][:3]
