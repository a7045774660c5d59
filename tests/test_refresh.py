"""drafter refresh (issue 16): a corrected fact reaches a draft staff have already edited, as tracked
changes, with every edit kept.

The sample speech is drafted, then edited as staff would: python-docx edits that split runs, one
figure retyped by hand, one paragraph deleted, one sentence rewritten around a figure, and a
LibreOffice round trip. Four facts change in the sheet; refresh brings over what it can."""
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from running import invoke

from drafter.readers.docx import read_docx

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

# (in the sheet, as corrected) — the figure each change is about
UNTOUCHED = ("入库612名", "入库620名")  # 工作领域[3].要点[1].内容: nobody edited its paragraph's words
REWRITTEN = ("全年印发工作提示和督办函17份，推动年度重点任务按期落地", "全年印发工作提示和督办函18份，推动年度重点任务按期落地")
RETYPED = ("召开全体会议2次", "召开全体会议4次")  # staff typed 3次 over 2次 themselves
DELETED = ("460余场次", "480余场次")  # 工作领域[4]: staff deleted that paragraph
STAFF_SENTENCE = "全年共印发各类工作提示和督办函17份，有力推动年度重点任务按期落地"


def texts(path):
    return [p.full_text for p in read_docx(Path(path).read_bytes()).paragraphs]


def _split_run(paragraph, run, at):
    """Split a run in two at a character offset, as Word does when part of it is edited."""
    text = run.text
    run.text = text[:at]
    clone = docx.oxml.parse_xml(etree.tostring(run._r))
    run._r.addnext(clone)
    docx.text.run.Run(clone, paragraph).text = text[at:]


def staff_edit(path):
    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        for run in list(paragraph.runs):
            if RETYPED[0] in run.text:
                run.text = run.text.replace(RETYPED[0], "召开全体会议3次")
            if "全年印发工作提示和督办函17份，推动年度" in run.text:
                run.text = run.text.replace("全年印发工作提示和督办函17份，推动年度", "全年共印发各类工作提示和督办函17份，有力推动年度")
            if "区委常委会5次" in run.text:  # runs split by editing, nothing else changed
                _split_run(paragraph, run, run.text.index("5次"))
    for paragraph in document.paragraphs:
        if DELETED[0] in paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)
    document.save(str(path))


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    folder = tmp_path_factory.mktemp("refresh")
    sheet = folder / "2024.yaml"
    sheet.write_text((ROOT / "facts" / "2024.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    draft = folder / "发言.docx"
    assert invoke("speech", sheet, "-o", draft).exit_code == 0
    staff_edit(draft)
    if shutil.which("soffice"):  # a LibreOffice round trip: bookmarks and the record survive it
        out = folder / "lo"
        subprocess.run(["soffice", "--norestore", f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
                        "--headless", "--convert-to",
                        "docx:MS Word 2007 XML", "--outdir", str(out), str(draft)], check=True, capture_output=True,
                       timeout=180)
        draft = out / draft.name
    before = texts(draft)
    text = sheet.read_text(encoding="utf-8")
    for old, new in (UNTOUCHED, REWRITTEN, RETYPED, DELETED):
        assert text.count(old) == 1
        text = text.replace(old, new)
    sheet.write_text(text, encoding="utf-8")
    return folder, sheet, draft, before


def test_refresh_brings_the_changes_in_as_tracked_changes(edited, tmp_path):
    folder, sheet, draft, before = edited
    out = tmp_path / "刷新.docx"
    original = draft.read_bytes()
    result = invoke("refresh", draft, sheet, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert draft.read_bytes() == original  # -o: the edited draft itself is left as it was
    report = result.stdout
    assert "“612”→“620”" in report and "“17”→“18”" in report  # untouched figure and rewritten sentence
    assert re.search(r"冲突 1 处.*\n.*工作领域\[1\]\.要点\[1\]\.内容：事实表由“2”改为“4”，文中现为“3”", report)
    assert re.search(r"找不到 1 处.*\n.*工作领域\[4\]", report)
    after = texts(out)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(after) == len(before) and len(changed) == 2  # every other paragraph is identical
    assert STAFF_SENTENCE.replace("17份", "18份") in after[changed[0]]  # the staff's words kept around it
    assert UNTOUCHED[1] in after[changed[1]]
    assert "召开全体会议3次" in "".join(after)  # the retyped figure left alone
    with zipfile.ZipFile(out) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    deleted = ["".join(d.itertext()) for d in body.iterfind(".//w:del", NS) if d.get(f"{{{W}}}author") == "drafter"]
    inserted = ["".join(i.itertext()) for i in body.iterfind(".//w:ins", NS) if i.get(f"{{{W}}}author") == "drafter"]
    assert sorted(deleted) == ["17", "612"] and sorted(inserted) == ["18", "620"]


def test_only_the_document_and_the_record_change(edited, tmp_path):
    folder, sheet, draft, _ = edited
    out = tmp_path / "刷新.docx"
    assert invoke("refresh", draft, sheet, "-o", out).exit_code == 0
    with zipfile.ZipFile(draft) as before, zipfile.ZipFile(out) as after:
        assert before.namelist() == after.namelist()
        changed = [n for n in before.namelist() if before.read(n) != after.read(n)]
    assert changed[0] == "word/document.xml" and all(n.startswith("customXml/item") for n in changed[1:])
    assert len(changed) == 2  # the document and the record: every other part keeps its bytes


def test_accept_writes_the_same_text_without_revision_marks(edited, tmp_path):
    folder, sheet, draft, _ = edited
    tracked, accepted = tmp_path / "修订.docx", tmp_path / "接受.docx"
    assert invoke("refresh", draft, sheet, "-o", tracked).exit_code == 0
    assert invoke("refresh", draft, sheet, "-o", accepted, "--accept").exit_code == 0
    assert texts(accepted) == texts(tracked)
    with zipfile.ZipFile(accepted) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert 'w:author="drafter"' not in body


def test_a_refreshed_draft_is_up_to_date_and_checks_clean(edited, tmp_path):
    folder, sheet, draft, _ = edited
    out = tmp_path / "刷新.docx"
    invoke("refresh", draft, sheet, "-o", out, "--accept")
    stale = invoke("check", draft, sheet).stdout
    assert "文稿是按旧的事实表写的" in stale and "可用 drafter refresh" in stale
    again = invoke("refresh", out, sheet, "-o", tmp_path / "再.docx")
    # the conflict and the deleted paragraph stay to be done by hand; nothing else is stale
    assert "已改" not in again.stdout and "冲突 1 处" in again.stdout


def test_refresh_in_place_refuses_an_open_file(edited, tmp_path):
    folder, sheet, draft, _ = edited
    copy = tmp_path / "发言.docx"
    copy.write_bytes(draft.read_bytes())
    (tmp_path / ".~lock.发言.docx#").write_text("someone", encoding="utf-8")
    result = invoke("refresh", copy, sheet)
    assert result.exit_code == 1 and "正在被 LibreOffice 打开" in result.stderr
    assert copy.read_bytes() == draft.read_bytes()
    (tmp_path / ".~lock.发言.docx#").unlink()
    assert invoke("refresh", copy, sheet).exit_code == 0  # in place, once nobody has it open
    assert "入库620名" in "".join(texts(copy))


def drafted_copy(folder):
    """A copy of the sample sheet, its text, and the speech drafted from it."""
    sheet = folder / "2024.yaml"
    text = (ROOT / "facts" / "2024.yaml").read_text(encoding="utf-8")
    sheet.write_text(text, encoding="utf-8")
    draft = folder / "发言.docx"
    assert invoke("speech", sheet, "-o", draft).exit_code == 0
    return sheet, text, draft


def test_a_structural_change_is_reported_not_patched(tmp_path):
    sheet, text, draft = drafted_copy(tmp_path)
    extra = "      - 领句: 压紧考核责任\n        内容: 把统战工作纳入年度考核。\n"
    anchor = "      - 领句: 压紧属地责任\n"
    assert text.count(anchor) == 1
    sheet.write_text(text.replace(anchor, extra + anchor), encoding="utf-8")
    result = invoke("refresh", draft, sheet, "-o", tmp_path / "新.docx")
    assert result.exit_code == 0
    assert "需要重写相应部分" in result.stdout and "工作领域[1]" in result.stdout
    assert f"drafter speech {sheet} --style report -o 新.docx" in result.stdout


def test_a_draft_without_anchors_gets_a_clear_message(tmp_path):
    draft = tmp_path / "发言.docx"
    invoke("speech", ROOT / "facts" / "2024.yaml", "-o", draft)
    with zipfile.ZipFile(draft) as source:
        parts = {n: source.read(n) for n in source.namelist() if not n.startswith("customXml/")}
    old = tmp_path / "旧.docx"
    with zipfile.ZipFile(old, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    result = invoke("refresh", old, ROOT / "facts" / "2024.yaml")
    assert result.exit_code == 1 and "无法刷新" in result.stderr and "Traceback" not in result.stderr


def test_every_fact_is_anchored_and_recorded(tmp_path):
    draft = tmp_path / "发言.docx"
    invoke("speech", ROOT / "facts" / "2024.yaml", "-o", draft)
    with zipfile.ZipFile(draft) as package:
        body = etree.fromstring(package.read("word/document.xml"))
        record = etree.fromstring(package.read("customXml/item1.xml"))
    names = [b.get(f"{{{W}}}name") for b in body.iterfind(".//w:bookmarkStart", NS)]
    assert names and all(n.startswith("_df") and len(n) <= 40 for n in names)
    facts = record.findall("{urn:drafter:record:1}fact")
    assert [f.get("anchor") for f in facts] == names
    assert record.get("digest").startswith("sha256:") and record.get("kind") == "speech"
    assert any(f.findtext("{urn:drafter:record:1}printed") == "程静澜" for f in facts)


def test_a_title_fact_keeps_its_line_break_and_a_second_refresh_withdraws_its_own_change(tmp_path):
    sheet, text, draft = drafted_copy(tmp_path)
    text = text.replace("会议全称: 全市基层统一战线工作现场推进会", "会议全称: 全市基层统一战线工作暨同心家园建设现场推进会")
    sheet.write_text(text.replace("日期: 2024-12-17", "日期: 2024-12-18"), encoding="utf-8")
    once = tmp_path / "一.docx"
    assert invoke("refresh", draft, sheet, "-o", once).exit_code == 0
    fresh = tmp_path / "新.docx"
    invoke("speech", sheet, "-o", fresh)
    assert texts(once)[:3] == texts(fresh)[:3]  # the title broken where a fresh draft breaks it, as w:br
    with zipfile.ZipFile(once) as package:
        assert "\n" not in "".join(etree.fromstring(package.read("word/document.xml")).xpath("//w:t/text()", namespaces=NS))
    sheet.write_text(text.replace("日期: 2024-12-17", "日期: 2024-12-19"), encoding="utf-8")
    twice = tmp_path / "二.docx"
    assert invoke("refresh", once, sheet, "-o", twice).exit_code == 0
    assert "（2024年12月19日）" in texts(twice)
    with zipfile.ZipFile(twice) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    date = body.xpath("//w:bookmarkStart[@w:name='_df4']/following-sibling::*[position() < 6]", namespaces=NS)
    struck = ["".join(e.itertext()) for e in date if e.tag == f"{{{W}}}del"]
    put = ["".join(e.itertext()) for e in date if e.tag == f"{{{W}}}ins"]
    assert struck == ["17"] and put == ["19"]  # drafter's own pending 18 withdrawn, not struck through
