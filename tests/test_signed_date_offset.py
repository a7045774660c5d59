"""GB/T 9704 §7.3.5.2 on the page (issue 14, audit-layout finding 3): the 落款 is 右空二字, and the
成文日期's first character stands two characters right of the 落款's first — measured on a render, for a
落款 longer and one shorter than the date. Word and LibreOffice set an automatic space where Chinese
meets digits; the indent counts it (layout.set_width)."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.measure import set_width, text_width

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "facts" / "2024.yaml"
SOFFICE, PDFTOTEXT = shutil.which("soffice"), shutil.which("pdftotext")
SIZE = 16  # 三号: one character cell in points


def test_the_date_is_as_wide_as_it_is_set():
    assert text_width("2024年12月25日") == 7
    assert set_width("2024年12月25日") == pytest.approx(7 + 5 * 0.22)  # five meetings of 汉字 and digits
    assert set_width("中共枫岭市青禾区委统战部") == 12


@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None, reason="render test needs LibreOffice and poppler "
                    "(apt-get install libreoffice-writer-nogui poppler-utils fonts-arphic-uming)")
@pytest.mark.parametrize("signature", ["中共枫岭市青禾区委统一战线工作部", "区委统战部"])
def test_the_date_starts_two_characters_right_of_the_signature(tmp_path, signature):
    text = SAMPLE.read_text(encoding="utf-8").replace("  # 落款: 中共枫岭市青禾区委统战部", f"  落款: {signature}", 1)
    assert f"落款: {signature}" in text
    sheet = tmp_path / "2024.yaml"
    sheet.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(sheet), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 0, result.output
    env = dict(os.environ, FONTCONFIG_FILE=str(HERE / "fonts.conf"))
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "r.docx")],
                   env=env, capture_output=True, timeout=300)
    html = subprocess.run([PDFTOTEXT, "-bbox", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)
    page_width = float(re.findall(r'<page width="([\d.]+)"', html)[-1])
    at = max(i for i, w in enumerate(words) if w[3] == signature)
    signed, date = words[at], words[at + 1]
    assert date[3] == "2024"
    date_end = max(float(w[2]) for w in words[at + 1:] if w[1] == date[1])  # its line: 2024 年 12 月 25 日
    offset = (float(date[0]) - float(signed[0])) / SIZE
    right_of_date = page_width - 1474 / 20 - date_end  # 1474 twips: the 26 mm right margin
    if text_width(signature) >= set_width("2024年12月25日"):
        assert (page_width - 1474 / 20 - float(signed[2])) / SIZE == pytest.approx(2, abs=0.25)  # 右空二字
        assert offset == pytest.approx(2, abs=0.25)  # the date two characters right of the 署名's first
    else:
        assert right_of_date / SIZE == pytest.approx(2, abs=0.6)  # a longer date takes the 右空二字 itself
        assert offset == pytest.approx(2, abs=0.25)
