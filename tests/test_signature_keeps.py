"""The 落款 never strands (issue 14, audit-layout finding 2): the last body paragraph before it is kept
with it, and the 落款 with its 成文日期, so 署名 and date never open a page of their own."""
import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from drafter.cli import cli
from drafter.document import parse_outline
from drafter.layout import load_layout
from drafter.templates import builtin_templates
from drafter.writers.docx import render_docx


def paragraphs(xml: str):
    return re.findall(r"<w:p>.*?</w:p>|<w:p .*?</w:p>", xml)


def test_the_text_s_last_paragraph_keeps_with_the_signature(tmp_path):
    layout = load_layout("gbt9704", [builtin_templates() / "layouts"])
    doc = parse_outline("# 总结\n\n第一段。\n\n最后一段。\n\n某单位{.落款}\n2024年12月25日{.成文日期}\n")
    path = tmp_path / "s.docx"
    path.write_bytes(render_docx(doc, layout))
    with zipfile.ZipFile(path) as package:
        body = paragraphs(package.read("word/document.xml").decode("utf-8"))
        styles = package.read("word/styles.xml").decode("utf-8")
    first, last = [p for p in body if "段。" in p]
    assert "<w:keepNext/>" in last and "<w:keepNext/>" not in first  # only the text's end goes along
    signature = re.search(r'<w:style [^>]*w:styleId="GwSignature".*?</w:style>', styles, re.S).group()
    assert "<w:keepNext/>" in signature  # 落款 with its 成文日期


def test_a_summary_s_signature_takes_the_last_body_paragraph_along(tmp_path):
    result = CliRunner().invoke(cli, ["report", str(Path(__file__).resolve().parent.parent / "facts" / "2024.yaml"),
                                      "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 0, result.output
    body = paragraphs(zipfile.ZipFile(tmp_path / "r.docx").read("word/document.xml").decode("utf-8"))
    index = next(i for i, p in enumerate(body) if "GwSignature" in p)
    assert "<w:keepNext/>" in body[index - 1] and sum("<w:keepNext/>" in p for p in body[:index]) == 1
