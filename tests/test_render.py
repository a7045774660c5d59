"""The sample speech as LibreOffice lays it out, measured in the PDF (gongwen.md §4.7).

facts/2024.yaml → .docx → `soffice --convert-to pdf` with tests/fonts.conf (free stand-ins for the GB fonts,
gongwen.md §3.3) → `pdftotext -bbox-layout`, whose boxes are in points from the top-left corner of the page.
The expected numbers are GB/T 9704-2012's, written out here rather than read from the layout file, so a wrong
value in templates/layouts/gbt9704.yaml shows up as a failure.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import pytest

from drafter.pipeline import make_draft, render

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFFONTS = shutil.which("pdffonts")
PDFTOPPM = shutil.which("pdftoppm")

if SOFFICE is None or PDFTOTEXT is None:
    pytest.skip("render test needs LibreOffice (soffice) and poppler (pdftotext); on Debian: apt-get install "
                "libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming "
                "fonts-liberation2", allow_module_level=True)

HERE = Path(__file__).resolve().parent
FONTS_CONF = HERE / "fonts.conf"          # FONTCONFIG_FILE must be absolute: a relative one is silently ignored
FACTS = HERE.parent / "facts" / "2024.yaml"

# GB/T 9704-2012 page in points (1 pt = 20 twips): A4, margins 37/35/28/26 mm (gongwen.md §1.3).
PAGE_W, PAGE_H = 11906 / 20, 16838 / 20   # 595.3 × 841.9
LEFT = 1588 / 20                          # 79.4: type area's left edge
RIGHT = PAGE_W - 1474 / 20                # 521.6: type area's right edge (width 442.2 = 156 mm)
BOTTOM = PAGE_H - 1984 / 20               # 742.7: type area's bottom edge
BODY_PT = 16                              # 三号
LINE_PITCH = 579 / 20                     # 28.95: 22 lines fit in 637.8 pt, 29 pt would not
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
INDENT = 2 * BODY_PT                      # 首行缩进二字 = 640 tw
FOOTER_INDENT = 14                        # 页码空一字 at 四号
FOOTER_DROP = 7 / 25.4 * 72               # 19.8: 页码一字线 7 mm below the type area

# Chinese line-breaking rules (禁则) that LibreOffice applies: an opening mark may not end a line, a closing mark
# may not start one and may instead hang past the right edge (Word's 允许标点溢出边界 does the same).
OPENING = frozenset("（《〈「『“‘〔【")
CLOSING = frozenset("，。、；：？！）》〉」』”’〕】…")
PURE_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’…—]+")

XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    text: str        # the line's words joined without spaces
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def centre_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def centre_y(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: Tuple[Line, ...]

    @property
    def body(self) -> List[Line]:
        # 2 pt of slack: a line's box is the font's ascent-descent box, which for 仿宋 at 16 pt is 20.8 pt tall
        # inside a 28.95 pt line, so it never reaches the next grid line, but rounding may nudge it.
        return [line for line in self.lines if line.y1 <= BOTTOM + 2]

    @property
    def footer(self) -> List[Line]:
        return [line for line in self.lines if line.y0 > BOTTOM]


@dataclass(frozen=True)
class Rendered:
    folder: Path
    pdf: Path
    title: str
    pages: Tuple[Page, ...]

    @property
    def body_lines(self) -> List[Line]:
        return [line for page in self.pages for line in page.body]


def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, timeout=kwargs.pop("timeout", 60), **kwargs)


def parse_bbox_layout(xhtml: bytes) -> Tuple[Page, ...]:
    """pdftotext -bbox-layout: page → flow → block → line → word, each with xMin/yMin/xMax/yMax."""
    def box(element) -> Tuple[float, float, float, float]:
        return tuple(float(element.get(key)) for key in ("xMin", "yMin", "xMax", "yMax"))

    pages = []
    for page in ET.fromstring(xhtml).iter(XHTML + "page"):
        lines = tuple(Line("".join(word.text or "" for word in line.iter(XHTML + "word")), *box(line))
                      for line in page.iter(XHTML + "line"))
        pages.append(Page(float(page.get("width")), float(page.get("height")), lines))
    return tuple(pages)


def fit_grid(ys: Sequence[float]) -> Tuple[float, List[float]]:
    """Least-squares pitch of evenly spaced lines, and each line's distance from the fitted grid."""
    n = len(ys)
    mean_i, mean_y = (n - 1) / 2, sum(ys) / n
    pitch = sum((i - mean_i) * (y - mean_y) for i, y in enumerate(ys)) / sum((i - mean_i) ** 2 for i in range(n))
    return pitch, [y - (mean_y + (i - mean_i) * pitch) for i, y in enumerate(ys)]


def starts_at(line: Line, x: float, tolerance: float) -> bool:
    return abs(line.x0 - x) <= tolerance


def line_break_exception(line: Line, following: Optional[Line]) -> Optional[str]:
    """Why a full line of Chinese may hold 27 or 29 characters instead of 28, or None if nothing explains it."""
    text, after = line.text, following.text if following else ""
    if len(text) == CHARS_PER_LINE + 1 and text[-1] in CLOSING and RIGHT < line.x1 <= RIGHT + BODY_PT + 1:
        return "closing mark hangs past the right edge"
    if len(text) == CHARS_PER_LINE - 1 and (after[:1] in OPENING or after[1:2] in CLOSING):
        return "the 28th character had to move to the next line with its punctuation"
    return None


def png_size(path: Path) -> Tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def dump(lines: Sequence[Line]) -> str:
    return "\n".join(f"{line.x0:7.2f} {line.y0:7.2f} {line.x1:7.2f} {line.y1:7.2f}  {line.text}" for line in lines)


def build(folder: Path, layout: Optional[str] = None) -> Rendered:
    """The sample speech as .docx, its PDF from LibreOffice, and the PDF's text boxes."""
    draft = make_draft("speech", FACTS, "report", layout)
    docx = folder / "speech.docx"
    docx.write_bytes(render(draft, "docx"))
    profile = folder / "lo-profile"   # a private profile: no clash with a running LibreOffice or another test run
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
    converted = run(SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx), env=env, timeout=180)
    pdf = folder / "speech.pdf"
    if not pdf.exists():
        pytest.fail(f"soffice wrote no PDF (exit {converted.returncode}):\n"
                    f"{converted.stdout.decode(errors='replace')}{converted.stderr.decode(errors='replace')}")
    text = run(PDFTOTEXT, "-bbox-layout", str(pdf), "-", check=True)
    return Rendered(folder, pdf, draft.title, parse_bbox_layout(text.stdout))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Rendered:
    result = build(tmp_path_factory.mktemp("render"))
    assert len(result.pages) >= 2, "the sample speech should run to at least two pages"
    return result


def test_the_pdf_page_is_a4(rendered):
    # LibreOffice writes the page size in 1/100 mm; 0.5 pt covers that rounding.
    page = rendered.pages[0]
    assert abs(page.width - PAGE_W) <= 0.5 and abs(page.height - PAGE_H) <= 0.5


def test_a_full_page_holds_22_lines_at_28_95_pt(rendered):
    body = rendered.pages[1].body
    assert len(body) == LINES_PER_PAGE, dump(rendered.pages[1].lines)
    pitch, offsets = fit_grid([line.y0 for line in body])
    # The fitted pitch over 21 gaps is exact to a few hundredths: LibreOffice places lines in whole twips and
    # rounds to 0.1 pt in the PDF. 0.1 pt still tells 28.95 from 29 pt (580 tw) and from 28 pt.
    assert abs(pitch - LINE_PITCH) <= 0.1, f"line pitch {pitch:.3f} pt"
    # Single lines sit up to about 1 pt below the grid: with fixed line spacing LibreOffice lowers the baseline of
    # a line holding a font with a taller ascent (the 黑体 run-in heading, some full-width marks). 1.5 pt allows
    # that; any spacing before a paragraph or an extra blank line would move a line by far more.
    assert max(abs(offset) for offset in offsets) <= 1.5, [round(offset, 2) for offset in offsets]


def test_a_full_line_holds_28_characters(rendered):
    lines = rendered.body_lines
    # Lines of Chinese only (digits and Latin letters are narrower) that start at the left edge and run to
    # within half a character of the right edge; paragraph ends and the centred or indented lines drop out.
    full = [(line, lines[i + 1] if i + 1 < len(lines) else None) for i, line in enumerate(lines)
            if PURE_CJK.fullmatch(line.text) and starts_at(line, LEFT, 1) and line.x1 >= RIGHT - BODY_PT / 2]
    exact = [line for line, _ in full if len(line.text) == CHARS_PER_LINE]
    unexplained = [line for line, following in full
                   if len(line.text) != CHARS_PER_LINE and line_break_exception(line, following) is None]
    assert not unexplained, dump(unexplained)
    # Most full lines must have exactly 28: 27 characters of 16 pt (432 pt) would also "fill" the 442.2 pt line.
    assert len(full) >= 20 and len(exact) >= 0.75 * len(full), f"{len(exact)} of {len(full)} full lines hold 28"
    # 28 characters of 16 pt - 0.25 pt spacing = 441 pt; none may overrun the type area (0.2 pt for rounding).
    assert all(line.x1 <= RIGHT + 0.2 for line in exact), dump([line for line in exact if line.x1 > RIGHT + 0.2])


@pytest.mark.parametrize("number, side", [(1, "right"), (2, "left")])
def test_page_numbers_sit_one_character_in_and_7_mm_below_the_type_area(rendered, number, side):
    footer = rendered.pages[number - 1].footer
    assert [line.text for line in footer] == [f"—{number}—"], dump(footer)   # pdftotext drops the spaces
    line = footer[0]
    # 3 pt (about 1 mm): the box is the em dash's advance, which starts and ends at the em box of the CJK font.
    if side == "right":
        assert abs(line.x1 - (RIGHT - FOOTER_INDENT)) <= 3, f"right edge at {line.x1:.2f}"
    else:
        assert abs(line.x0 - (LEFT + FOOTER_INDENT)) <= 3, f"left edge at {line.x0:.2f}"
    # A CJK em dash is drawn at the middle of the em box, so the box's vertical centre stands for the dash
    # (the ink measured at 288 dpi lies 0.3 pt lower). 2.5 pt (0.9 mm) tells the 7 mm footer from the 14.5 mm one
    # a 1.75 cm footer distance gives (gongwen.md §4.5) and from a number inside the type area.
    drop = line.centre_y - BOTTOM
    assert abs(drop - FOOTER_DROP) <= 2.5, f"page number {drop:.1f} pt below the type area"


def test_the_title_is_centred_on_two_lines(rendered):
    title = rendered.pages[0].lines[:2]
    assert [line.text for line in title] == ["在全市基层统一战线工作", "现场推进会上的汇报发言"], dump(title)
    assert "".join(line.text for line in title) == rendered.title
    # ±2 pt: LibreOffice positions to 0.1 pt; an off-centre title (e.g. centred on the page, 297.7, or with an
    # indent left over from the body style, 32 pt) misses by more.
    for line in title:
        assert abs(line.centre_x - (LEFT + RIGHT) / 2) <= 2, f"{line.text} centred at {line.centre_x:.2f}"


@pytest.mark.skipif(PDFFONTS is None, reason="pdffonts (poppler-utils) is not installed")
def test_each_role_is_set_in_its_stand_in_font(rendered):
    listing = run(PDFFONTS, str(rendered.pdf), check=True).stdout.decode().splitlines()[2:]
    # "BAAAAA+NotoSerifCJKjp-Regular-VKana": drop the subset tag; LibreOffice names the .ttc face it used.
    names = {re.sub(r"^[A-Z]{6}\+", "", row.split()[0]) for row in listing if row.strip()}
    roles = {
        "UMingCN": "仿宋 body (AR PL UMing CN)",
        "UKaiCN": "楷体 byline and date (AR PL UKai CN)",
        "NotoSerifCJK": "方正小标宋 title, 宋体 page numbers (Noto Serif CJK SC)",
        "NotoSansCJK": "黑体 run-in headings (Noto Sans CJK SC)",
        "LiberationSerif": "Times New Roman digits (Liberation Serif, fonts-liberation2)",
    }
    missing = [role for prefix, role in roles.items() if not any(name.startswith(prefix) for name in names)]
    assert not missing, f"not in the PDF: {missing}; embedded: {sorted(names)} (are the fonts installed?)"
    # Anything else (DejaVu, WenQuanYi) is a fallback for a font name tests/fonts.conf does not map.
    strays = sorted(name for name in names if not name.startswith(tuple(roles)))
    assert not strays, f"fallback fonts in the PDF: {strays}"


def test_body_paragraphs_indent_their_first_line_by_two_characters(rendered):
    lines = rendered.pages[0].lines
    salutation = next(i for i, line in enumerate(lines) if line.text.endswith("："))
    first, continuation = lines[salutation + 1], lines[salutation + 2]
    # ±2 pt around 32: two characters at 16 pt, or 31.5 at the body's 15.75 pt pitch; one character (16) or
    # none fails. The flush-left lines get ±1 pt (LibreOffice writes 79.5 for the 79.4 pt margin).
    assert starts_at(lines[salutation], LEFT, 1), f"salutation starts at {lines[salutation].x0:.2f}"
    assert starts_at(first, LEFT + INDENT, 2), f"first line starts at {first.x0:.2f}"
    assert starts_at(continuation, LEFT, 1), f"continuation line starts at {continuation.x0:.2f}"
    # Page 2 is body text only: every line starts at the left edge or two characters in, and both occur.
    starts = [starts_at(line, LEFT, 1) for line in rendered.pages[1].body]
    indented = [starts_at(line, LEFT + INDENT, 2) for line in rendered.pages[1].body]
    assert all(a or b for a, b in zip(starts, indented)) and any(starts) and any(indented), \
        dump(rendered.pages[1].body)


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pages_1_and_2_render_to_png(rendered):
    prefix = rendered.folder / "page"
    run(PDFTOPPM, "-r", "80", "-f", "1", "-l", "2", "-png", str(rendered.pdf), str(prefix), check=True)
    pngs = sorted(rendered.folder.glob("page-*.png"))
    assert len(pngs) == 2, pngs
    for png in pngs:
        width, height = png_size(png)
        assert (abs(width - PAGE_W * 80 / 72) <= 1 and abs(height - PAGE_H * 80 / 72) <= 1), (width, height)
        # A blank A4 page at 80 dpi compresses to about 2 kB; a page of text is tens of kB.
        assert png.stat().st_size > 15_000, f"{png.name}: {png.stat().st_size} bytes"
