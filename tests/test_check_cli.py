"""`drafter check` end to end (issue 15): every draft drafter writes checks clean against its sheet;
exit codes and JSON for scripts; the comments copy puts each finding in Word's review pane at its
span; --fix changes only the mechanical findings; the original is never written; `--review` writes
the 核稿 copy with a comment on every figure, date and name."""
import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from running import invoke
from test_gallery import SHEETS, command_of

ROOT = Path(__file__).resolve().parent.parent
SHEET = ROOT / "facts" / "2024.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAMPLE_COMMANDS = [["speech", str(SHEET)], ["speech", str(SHEET), "--style", "leader"],
                   ["speech", str(SHEET), "--style", "host", "--event", "2024-01"],
                   ["news", str(SHEET), "--event", "meeting"], ["news", str(SHEET), "--event", "training"],
                   ["news", str(SHEET), "--event", "调研"], ["news", str(SHEET), "--event", "慰问"],
                   ["news", str(SHEET), "--style", "feature"], ["report", str(SHEET)],
                   ["report", str(SHEET), "--style", "experience"]]


def drafted(tmp_path, command, name="draft.docx"):
    out = tmp_path / name
    result = invoke(*command, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


def sheet_of(command):
    return next(word for word in command if word.endswith(".yaml"))


@pytest.mark.parametrize("command", SAMPLE_COMMANDS + [command_of(s) for s in SHEETS],
                         ids=[" ".join(c[:1] + c[2:]) for c in SAMPLE_COMMANDS] + [s.stem for s in SHEETS])
def test_every_draft_drafter_writes_checks_without_errors(tmp_path, command):
    draft = drafted(tmp_path, command)
    result = invoke("check", draft, sheet_of(command), "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["errors"] == 0, report["findings"]
    # nothing the sheet could decide is doubted either: every figure, date and name is the sheet's
    assert [f for f in report["findings"] if f["source"] == "事实表"] == []


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """The sample speech as staff might leave it: 5次 retyped 6次 (the run split as Word splits it),
    a half-width comma, a doubled word."""
    folder = tmp_path_factory.mktemp("edited")
    draft = drafted(folder, ["speech", SHEET])
    with zipfile.ZipFile(draft) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert "区委常委会5次专题研究统战工作，" in xml
    xml = xml.replace("区委常委会5次专题研究统战工作，",
                      '区委常委会</w:t></w:r><w:r><w:t>6</w:t></w:r><w:r><w:t xml:space="preserve">次专题研究统战工作,', 1)
    xml = xml.replace("推动解决统战阵地建设", "推动推动解决统战阵地建设", 1)
    parts["word/document.xml"] = xml.encode("utf-8")
    path = folder / "edited.docx"
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def test_findings_name_paragraph_severity_and_authority(edited):
    result = invoke("check", edited, SHEET)
    assert result.exit_code == 1  # there are errors
    lines = result.stdout.splitlines()
    contradiction = next(line for line in lines if "6次" in line and "事实表" in line)
    assert re.match(r"第\d+段 错误〔事实表〕", contradiction) and "5次" in contradiction and "2024.yaml:" in contradiction
    assert any(re.match(r"第\d+段 错误〔GB/T 15834—2011 标点符号用法〕", line) for line in lines)
    assert any("推动" in line and "疑误〔常见做法〕" in line for line in lines)
    assert any(line.startswith("全文 ") and "分钟" in line for line in lines)


def test_json_for_scripts(edited):
    result = invoke("check", edited, SHEET, "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and report["errors"] == 2 and not report["ok"]
    rules = {f["rule"] for f in report["findings"]}
    assert {"sheet.number-contradicts", "punct.halfwidth"} <= rules
    contradiction = next(f for f in report["findings"] if f["rule"] == "sheet.number-contradicts")
    assert contradiction["severity"] == "错误" and "6次" in contradiction["excerpt"]
    # without the sheet, only the standards speak
    alone = json.loads(invoke("check", edited, "--format", "json").stdout)
    assert not any(f["source"] == "事实表" for f in alone["findings"]) and alone["errors"] == 1


def test_a_clean_draft_exits_0_and_bad_input_exits_1_or_2(tmp_path):
    draft = drafted(tmp_path, ["speech", SHEET])
    assert invoke("check", draft, SHEET).exit_code == 0
    (tmp_path / "not.docx").write_text("这不是 Word 文档", encoding="utf-8")
    result = invoke("check", tmp_path / "not.docx")
    assert result.exit_code == 1 and "不是 Word 文档" in result.stderr and "Traceback" not in result.stderr
    assert invoke("check").exit_code == 2  # usage
    assert invoke("check", draft, "--format", "xml").exit_code == 2


def comments_of(path):
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml"))
        comments = etree.fromstring(package.read("word/comments.xml"))
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert "comments+xml" in types and "relationships/comments" in rels
    texts = {c.get(f"{W}id"): ("".join(c.itertext()), c.get(f"{W}author")) for c in comments.iter(f"{W}comment")}
    marked = {}
    for start in body.iter(f"{W}commentRangeStart"):
        number, text, node = start.get(f"{W}id"), [], start.getnext()
        while node is not None and not (node.tag == f"{W}commentRangeEnd" and node.get(f"{W}id") == number):
            text.append("".join(node.itertext()))
            node = node.getnext()
        marked[number] = "".join(text)
    return texts, marked


def test_the_comments_copy_marks_each_finding_where_it_is(edited, tmp_path):
    before = edited.read_bytes()
    out = tmp_path / "批注.docx"
    result = invoke("check", edited, SHEET, "--comments", out)
    assert f"已写出带批注的副本 {out}" in result.stdout
    assert edited.read_bytes() == before  # the original is never written
    texts, marked = comments_of(out)
    assert {author for _, author in texts.values()} == {"drafter"}
    by_text = {texts[number][0]: span for number, span in marked.items()}
    assert next(span for text, span in by_text.items() if "事实表写的是" in text) == "6次"
    assert next(span for text, span in by_text.items() if "半角逗号" in text) == ","
    # every other part keeps its bytes
    with zipfile.ZipFile(edited) as a, zipfile.ZipFile(out) as b:
        for name in a.namelist():
            if name not in ("word/document.xml", "[Content_Types].xml", "word/_rels/document.xml.rels",
                            "docProps/custom.xml", "_rels/.rels"):
                assert a.read(name) == b.read(name), name


def test_fix_changes_only_the_mechanical(edited, tmp_path):
    out = tmp_path / "改.docx"
    result = invoke("check", edited, SHEET, "--fix", out)
    assert "“,”→“，”" in result.stdout and "改了 1 处" in result.stdout
    fixed = json.loads(invoke("check", out, SHEET, "--format", "json").stdout)
    assert {f["rule"] for f in fixed["findings"]} >= {"sheet.number-contradicts"}  # a figure is the reviewer's call
    assert "punct.halfwidth" not in {f["rule"] for f in fixed["findings"]}


def test_the_copy_is_never_the_original(edited):
    result = invoke("check", edited, "--comments", edited)
    assert result.exit_code == 1 and "原文件从不改动" in result.stderr


def test_review_copy_comments_every_figure_date_and_name(tmp_path):
    result = invoke("speech", SHEET, "-o", tmp_path / "发言.docx", "--review")
    assert result.exit_code == 0, result.stderr
    review = tmp_path / "发言-核稿.docx"
    assert f"核稿本 {review}" in result.stdout
    texts, marked = comments_of(review)
    pairs = [(marked[number], texts[number][0]) for number in marked]
    five = next(text for span, text in pairs if span == "5次")  # the figure with its measure word
    assert re.search(r"事实表 .*2024\.yaml:\d+，工作领域\[1\]\.要点\[1\]\.内容", five)
    assert any(span == "程静澜" and "姓名" in text for span, text in pairs)
    assert any("2024年12月17日" in span for span, _ in pairs)
    title = next(text for span, text in pairs if "汇报发言" in span)
    assert re.search(r"全文 \d+ 字，按每分钟 \d+ 字约讲 [\d.]+ 分钟", title)
    # the draft itself carries no comments, and the review copy reads as the same text
    with zipfile.ZipFile(tmp_path / "发言.docx") as package:
        assert "word/comments.xml" not in package.namelist()


def test_review_needs_a_docx_file(tmp_path):
    result = invoke("speech", SHEET, "-o", "-", "--review")
    assert result.exit_code == 1 and "--review" in result.stderr


def test_the_copies_keep_one_set_of_properties_and_are_not_drafter_s_own(edited, tmp_path):
    comments, fixed = tmp_path / "批注.docx", tmp_path / "改.docx"
    invoke("check", edited, SHEET, "--comments", comments, "--fix", fixed)
    for copy in (comments, fixed):
        with zipfile.ZipFile(copy) as package:
            names = package.namelist()
            rels = package.read("_rels/.rels").decode()
        assert names.count("docProps/custom.xml") == 1 and len(names) == len(set(names))
        assert len(re.findall(r'Id="([^"]+)"', rels)) == len(set(re.findall(r'Id="([^"]+)"', rels)))
    # a copy of the staff's document is theirs: a draft written to its name needs --force
    result = invoke("speech", SHEET, "-o", fixed)
    assert result.exit_code == 1 and "没有覆盖" in result.stderr


def test_one_name_for_both_copies_is_refused(edited, tmp_path):
    same = tmp_path / "副本.docx"
    result = invoke("check", edited, "--comments", same, "--fix", same)
    assert result.exit_code == 1 and "两个不同的文件名" in result.stderr and not same.exists()


def test_a_fact_removed_from_the_sheet_is_stale_not_a_crash(tmp_path):
    draft = drafted(tmp_path, ["speech", SHEET])
    text = SHEET.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("    日期: 2024-12-17"))
    sheet = tmp_path / "2024.yaml"
    sheet.write_text(text.replace(line + "\n", ""), encoding="utf-8")
    result = invoke("check", draft, sheet)
    assert "Traceback" not in result.stderr and "汇报.会议.日期 原为“2024-12-17”，事实表里已经没有这一项" in result.stdout


def test_the_sheet_s_length_limit_and_its_mistakes(tmp_path):
    draft = drafted(tmp_path, ["speech", SHEET])
    sheet = tmp_path / "2024.yaml"
    base = SHEET.read_text(encoding="utf-8")
    sheet.write_text(base + "\n核稿: {限时: 5分钟, 语速: 200字/分钟}\n", encoding="utf-8")
    report = json.loads(invoke("check", draft, sheet, "--format", "json").stdout)
    assert [f["rule"] for f in report["findings"]] == ["length.minutes"] and report["length"]["rate"] == 200
    sheet.write_text(base + "\n核稿: {限制: 5分钟}\n", encoding="utf-8")
    result = invoke("check", draft, sheet)
    assert result.exit_code == 1 and "核稿一节没有“限制”这一项" in result.stderr and ".yaml:" in result.stderr
