"""Long titles break between words (issue 14, audit-layout finding 1, GB/T 9704 §7.3.1 “回行时词意完整”):
at a phrase edge or where a fact begins or ends, never inside a listed word or a unit's name, never
with 和 or 的 opening a line, and still in balanced lines."""
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from drafter.cli import cli
from drafter.layout import load_layout
from drafter.templates import builtin_templates
from drafter.title_breaks import TitleBreaker

SHEET = Path(__file__).resolve().parent.parent / "facts" / "2024.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def layout():
    return load_layout("gbt9704", [builtin_templates() / "layouts"])


def title_lines(docx: bytes):
    """The title's lines as the .docx holds them: text between its <w:br/>s."""
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    lines = [""]
    for element in next(body.iter(f"{W}p")).iter(f"{W}t", f"{W}br"):
        if element.tag == f"{W}br":
            lines.append("")
        else:
            lines[-1] += element.text
    return lines


# The three news titles the audit found broken inside a word (党外代｜表人士, 调研基｜层统战, 党外代表｜人士).
@pytest.mark.parametrize("event, lines", [
    ("training", ["区委统战部举办2024年全区", "党外代表人士和统战干部能力提升培训班"]),
    ("调研", ["程静澜到云溪街道调研", "基层统战实践阵地建设工作"]),
    ("慰问", ["陆启航走访慰问党外代表人士和", "少数民族困难群众"]),
])
def test_the_audited_news_titles_break_between_words(tmp_path, event, lines):
    out = tmp_path / "news.docx"
    result = CliRunner().invoke(cli, ["news", str(SHEET), "--event", event, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert title_lines(out.read_bytes()) == lines


@pytest.mark.parametrize("segments, lines", [
    # a unit's name (a fact ending as units do) stays whole, and the year stays with what follows it
    (["南峤县东坪镇新时代文明实践所", "2024", "年工作总结"], ["南峤县东坪镇新时代文明实践所", "2024年工作总结"]),
    (["白塔县市场监督管理局", "2024", "年工作总结和", "2025", "年工作计划"],
     ["白塔县市场监督管理局", "2024年工作总结和2025年工作计划"]),
    # 年度 is a word: not 2024年｜度
    (["周岚", "同志在", "雁湖街道2024年度统战工作总结会", "上的讲话"], ["周岚同志在雁湖街道2024年度", "统战工作总结会上的讲话"]),
    # one fact, no edges: a phrase edge (after 发展) rather than the midpoint 高质量｜发展
    (["在南屏区民营经济高质量发展表彰大会上的主持词"], ["在南屏区民营经济高质量发展", "表彰大会上的主持词"]),
    # the balanced break of the same text without its words would split 工作｜总结
    (["中共枫岭市青禾区委统战部", "2024", "年工作总结和", "2025", "年工作计划"],
     ["中共枫岭市青禾区委统战部", "2024年工作总结和2025年工作计划"]),
])
def test_breaks_fall_between_words(layout, segments, lines):
    assert layout.title_lines(segments) == lines


def test_a_listed_word_is_split_only_when_nothing_else_fits():
    breaker = TitleBreaker(after=(), before=(), words=("代表人士",))
    # the midpoint is inside 代表人士: the break moves two characters off it, to the word's edge
    assert breaker.lines(["甲乙丙丁戊己代表人士庚辛壬癸子丑"], 10) == ["甲乙丙丁戊己", "代表人士庚辛壬癸子丑"]
    # nothing but the word to break in: it breaks there rather than overflow the line
    assert breaker.lines(["代表人士"], 3) == ["代表", "人士"]


def test_和_and_的_never_open_a_line():
    breaker = TitleBreaker(after=(), before=(), words=(), never_first=("和", "的"))
    for line in breaker.lines(["甲乙丙丁戊己庚和辛壬癸子丑寅卯的辰巳"], 10)[1:]:
        assert line[0] not in "和的"
    plain = TitleBreaker(after=(), before=(), words=())
    assert plain.lines(["甲乙丙丁戊己庚和辛壬癸子丑寅"], 10)[1][0] == "和"  # the midpoint, without the rule


def test_a_profile_s_word_list_must_hold_words(tmp_path):
    (tmp_path / "mine.yaml").write_text("extends: gbt9704\ntitle_breaks: {words: [1, 工作]}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["speech", str(SHEET), "--style", "report", "--layout",
                                      str(tmp_path / "mine.yaml"), "-o", str(tmp_path / "s.docx")])
    assert result.exit_code == 1
    assert "title_breaks.words 应是词的列表" in result.output
