"""The 落款 never strands (issue 14, audit-layout finding 2): the last body paragraph before it is kept
with it, and the 落款 with its 成文日期, so 署名 and date never open a page of their own; and the last
page never holds only a line or two of text (finding 4): the last paragraph is kept whole, with the
one before it when it is short."""
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
    assert "<w:keepNext/><w:keepLines/><w:widowControl/>" in last  # the text's end goes along, whole
    # a short last paragraph (under three lines) takes the one before it along too: no last page of a line or two
    assert "<w:keepNext/><w:widowControl/>" in first
    signature = re.search(r'<w:style [^>]*w:styleId="GwSignature".*?</w:style>', styles, re.S).group()
    assert "<w:keepNext/>" in signature  # 落款 with its 成文日期


def test_a_summary_s_signature_takes_the_last_body_paragraph_along(tmp_path):
    result = CliRunner().invoke(cli, ["report", str(Path(__file__).resolve().parent.parent / "facts" / "2024.yaml"),
                                      "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 0, result.output
    body = paragraphs(zipfile.ZipFile(tmp_path / "r.docx").read("word/document.xml").decode("utf-8"))
    index = next(i for i, p in enumerate(body) if "GwSignature" in p)
    assert "<w:keepNext/>" in body[index - 1] and "<w:keepLines/>" in body[index - 1]
    assert sum("<w:keepLines/>" in p for p in body) == 1  # the text's last paragraph, and no other


def test_no_last_page_of_a_line_or_two(tmp_path):
    """audit-layout finding 4: the 经验交流材料 of the sample sheet put “工作的有效抓手。” alone on page 5."""
    import os
    import shutil
    import subprocess

    import pytest

    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        pytest.skip("render test needs LibreOffice and poppler (apt-get install libreoffice-writer-nogui poppler-utils)")
    sample = Path(__file__).resolve().parent.parent / "facts" / "2024.yaml"
    result = CliRunner().invoke(cli, ["report", str(sample), "--style", "experience", "-o", str(tmp_path / "e.docx")])
    assert result.exit_code == 0, result.output
    env = dict(os.environ, FONTCONFIG_FILE=str(Path(__file__).resolve().parent / "fonts.conf"))
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "e.docx")],
                   env=env, capture_output=True, timeout=300)
    pages = subprocess.run([pdftotext, "-layout", str(tmp_path / "e.pdf"), "-"], capture_output=True,
                           text=True).stdout.split("\f")
    last = [line for line in [p for p in pages if p.strip()][-1].splitlines()
            if line.strip() and not re.fullmatch(r"\s*—\s*\d+\s*—\s*", line)]
    assert len(last) >= 3, last
