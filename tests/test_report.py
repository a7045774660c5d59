"""drafter report: the 年度工作总结 and the 经验交流材料 from the sample sheet, 排比 frames and the
parallel check, fact accounting (unused facts, placeholders) and --strict, and one sheet, one truth
across the speech, the summary and the news."""
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from drafter.cli import cli
from drafter.pipeline import make_draft, render
from drafter.templates import builtin_templates, find_pack

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facts" / "2024.yaml"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
INDENT = "\u3000\u3000"
FRAME = "织{密|牢|紧|亮}{网络|制度|纽带|品牌}"
OTHER_FRAME = "做{强|好|实|靓}{基层|基层|基础|基地}"  # fills headings the sample does not have
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def sample():
    return yaml.safe_load(SAMPLE_TEXT)


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write(tmp_path, text, name="2024.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def dump(tmp_path, data, name="2024.yaml"):
    return write(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False), name)


DEFAULT_STYLES = {"report": "summary", "speech": "report"}


def txt(path, kind="report", **options):
    if "event" not in options:
        options.setdefault("style", DEFAULT_STYLES.get(kind))
    return render(make_draft(kind, path, **options), "txt").decode("utf-8")


def paragraphs(path):
    return [p for p in docx.Document(str(path)).paragraphs if p.text]


def body_xml(path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def runs_styled(path, style_id):
    """Texts of the runs in word/document.xml that carry the character style ``style_id``."""
    return [("".join(r.itertext())) for r in body_xml(path).iter(f"{{{W}}}r")
            if r.xpath("string(w:rPr/w:rStyle/@w:val)", namespaces=NS) == style_id]


def line_of(text, needle):
    """1-based line and column of the first ``needle`` in ``text``."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


# --------------------------------------------------------------------------- 年度工作总结


def test_summary_end_to_end():
    result = invoke("report", SAMPLE)
    assert result.exit_code == 0, result.output
    out = Path("2024-工作总结.docx")
    assert f"已写出 {out}（年度工作总结" in result.output and "待补" not in result.output
    data = sample()
    unit, summary, plan = data["单位"], data["工作总结"], data["工作计划"]
    paras = paragraphs(out)
    assert paras[0].style.name == "公文标题"
    assert paras[0].text.replace("\n", "") == f"{unit['全称']}2024年工作总结和{plan['年度']}年工作计划"
    opening = paras[1].text
    assert opening.startswith(f"2024年，{unit['简称']}全面贯彻落实")
    assert f"围绕{data['汇报']['工作思路']}，{'，'.join(data['汇报']['思路内容'])}，" in opening
    assert opening.endswith(f"{data['汇报']['总体成效']}，{summary['评价']}。")
    indicators = paras[2].text
    assert indicators.startswith("全年" + "，".join(i["事项"] + i["数值"] for i in summary["指标"]) + "。")
    first, second = summary["荣誉"]
    assert (f"工作成效得到上级肯定，{unit['简称']}被{first['授予单位']}评为{first['名称']}，"
            f"{second['获评项目']}被{second['授予单位']}评为{second['名称']}。") in indicators  # 全市/全省 in the name: no 级别
    assert indicators.endswith("现将有关情况报告如下：")

    headings = [(p.style.name, p.text) for p in paras if p.style.name.startswith("Heading")]
    level1 = [text for style, text in headings if style == "Heading 1"]
    assert level1 == ["一、2024年工作开展情况", "二、存在的问题和不足", f"三、{plan['年度']}年工作计划"]
    level2 = [text for style, text in headings if style == "Heading 2"]
    assert level2 == [f"（{n}）{a['排比标题']}，{a['标题展开']}" for n, a in zip("一二三四", data["工作领域"])]
    text = "\n".join(p.text for p in paras)
    for area in data["工作领域"]:
        assert f"{area['概述']}，{area['成效']}。" in text
        for number, point in enumerate(area["要点"], 1):
            assert f"\n{number}.{point['领句']}。{point['内容']}" in text  # 1. run-in, verbatim
    problems = "；".join(f"{n}是{p}" for n, p in zip("一二三", summary["存在问题"]))
    assert f"工作中还存在一些问题和不足：{problems}。" in text
    assert f"{plan['年度']}年，{unit['简称']}将{plan['思路']}。主要目标是：{'；'.join(plan['目标'])}。" in text
    for number, task in zip("一二三四", plan["任务"]):
        assert f"\n（{number}）{task['领句']}。{task['内容']}" in text
    # 落款 and 成文日期 close the document, laid out per GB/T 9704 §7.3.5.2 by the writer
    assert [(p.style.name, p.text) for p in paras[-2:]] == [("落款", unit["全称"]), ("成文日期", "2024年12月25日")]
    ind = [p._p.find(f"{{{W}}}pPr/{{{W}}}ind") for p in paras[-2:]]
    assert all(i is not None and i.get(f"{{{W}}}rightChars") for i in ind)


def test_every_work_area_number_appears_verbatim_in_the_summary():
    text = txt(SAMPLE)
    areas = sample()["工作领域"]
    values = json.dumps(areas, ensure_ascii=False)  # every value in quotes
    chunks = set(re.findall(r"\d+(?:\.\d+)?[^\s，。；、）\"]*", values))
    assert len(chunks) >= 30
    for chunk in chunks:
        assert chunk in text, chunk
    for point in (p for area in areas for p in area["要点"]):
        assert point["内容"] in text


@pytest.mark.parametrize("style", ["summary", "experience"])
def test_no_arabic_number_that_is_not_in_the_sheet(style):
    text = txt(SAMPLE, style=style)
    for number in NUMBER.findall(text):
        assert number in SAMPLE_TEXT, number
    assert "【待补" not in text


def test_the_plan_year_is_the_sheets_fact_not_year_plus_one(tmp_path):
    data = sample()
    data["工作计划"]["年度"] = 2026
    text = txt(dump(tmp_path, data))
    assert text.startswith(f"{data['单位']['全称']}2024年工作总结和2026年工作计划\n")
    assert "三、2026年工作计划" in text and "2025" not in text
    del data["工作计划"]
    text = txt(dump(tmp_path, data))
    assert text.startswith(f"{data['单位']['全称']}2024年工作总结\n")
    assert "三、" not in text and "工作计划" not in text


def test_templates_carry_no_arabic_digit():
    for template in builtin_templates().rglob("*.j2"):
        literal = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"\d", literal), template


def test_report_fields_are_shared_with_the_speech_not_copied():
    templates = builtin_templates()
    speech = yaml.safe_load((templates / "speech" / "schema.yaml").read_text(encoding="utf-8"))
    labels = {spec["label"] for spec in speech.values()}
    for style in ("summary", "experience"):
        own = yaml.safe_load((templates / "report" / style / "schema.yaml").read_text(encoding="utf-8"))
        assert set(own) & set(speech) <= {"speech"}, style  # 汇报 only made optional, never redefined
        assert not labels & {spec.get("label") for spec in own.values()}, style
        parts = find_pack("report", style).schema_files
        assert any(isinstance(p, tuple) and p[0] == templates / "speech" / "schema.yaml"
                   and {"unit", "areas", "heading_frame"} <= set(p[1]) for p in parts), style


def test_a_summary_without_signature_facts_has_no_signature(tmp_path):
    data = sample()
    del data["工作总结"]["成文日期"]
    text = txt(dump(tmp_path, data))
    assert text.rstrip().endswith(data["工作计划"]["任务"][-1]["内容"])
    data["工作总结"]["落款"] = "青禾区委统战部"
    path = dump(tmp_path, data)
    assert invoke("report", path).exit_code == 0
    paras = paragraphs(Path("2024-工作总结.docx"))
    assert [(p.style.name, p.text) for p in paras[-2:]] == [("落款", "青禾区委统战部"), ("成文日期", "【待补：成文日期】")]


# --------------------------------------------------------------------------- 经验交流材料


def test_experience_end_to_end():
    result = invoke("report", SAMPLE, "--style", "experience")
    assert result.exit_code == 0, result.output
    out = Path("2024-经验交流材料.docx")
    assert out.exists() and "提示" not in result.output
    data = sample()
    material, unit, areas = data["经验材料"], data["单位"], data["工作领域"]
    paras = paragraphs(out)
    assert [(p.style.name, p.text.replace("\n", "")) for p in paras[:3]] == [
        ("公文标题", material["标题"]), ("公文副标题", "——" + material["副题"]), ("署名", unit["全称"])]
    assert paras[3].text == f"{unit['简称']}{material['导语']}，{material['核心理念']}。"
    level1 = [p.text for p in paras if p.style.name == "Heading 1"]
    assert level1 == [f"{n}、{a['排比标题']}，{a['标题展开']}" for n, a in zip("一二三四", areas)] + [
        "五、取得的成效", "六、几点体会"]
    text = "\n".join(p.text for p in paras)
    for area in areas:
        heading = f"{area['排比标题']}，{area['标题展开']}\n{area['概述']}，{area['成效']}。\n"
        points = "\n".join(f"{n}是{p['领句']}。{p['内容']}" for n, p in zip("一二三四", area["要点"]))
        assert heading + points in text  # a lead paragraph, then 一是/二是/三是, verbatim
    assert f"经过探索实践，{'；'.join(material['成效'])}。" in text
    assert text.rstrip().endswith(f"实践中，我们深刻体会到：{'；'.join(material['体会'])}。")


def test_experience_without_optional_parts(tmp_path):
    data = sample()
    for key in ("副题", "成效", "体会"):
        del data["经验材料"][key]
    data["经验材料"]["署名"] = "青禾区委统战部"
    lines = txt(dump(tmp_path, data), style="experience").splitlines()
    assert lines[:2] == [data["经验材料"]["标题"], "青禾区委统战部"]
    assert not any("成效" in line or "体会" in line for line in lines if line.startswith(INDENT + "五"))
    assert lines[-1].endswith(data["工作领域"][-1]["要点"][-1]["内容"])


def test_experience_needs_its_title(tmp_path):
    data = sample()
    del data["经验材料"]["标题"]
    result = invoke("report", dump(tmp_path, data), "--style", "experience")
    assert result.exit_code == 1 and "经验材料.标题: 缺少必填字段“标题”" in result.output


# --------------------------------------------------------------------------- placeholders and accounting


@pytest.mark.parametrize("style, label", [
    ("summary", "排比标题"),
    ("experience", "排比标题"),
    ("summary", "任务"),
])
def test_deleting_a_fact_the_genre_cannot_lack_gives_a_highlighted_placeholder(tmp_path, style, label):
    """评价, 存在问题, 核心理念 … are optional with a grammatical fallback (tests/test_framing_report.py);
    what a document cannot lack still shows as 【待补】: an area's heading, a plan with nothing in it."""
    if label == "排比标题":  # no heading and no 排比框架
        text = re.sub(r"\n  - 排比标题: 织密网络[^\n]*", "\n  -", SAMPLE_TEXT, count=1)
    else:  # a 工作计划 of its year alone
        text = re.sub(r"\n工作计划:[^\n]*\n(  [^\n]*\n)*", "\n工作计划:\n  年度: 2025\n", SAMPLE_TEXT, count=1)
    path = write(tmp_path, text)
    result = invoke("report", path, "--style", style)
    assert result.exit_code == 0, result.output
    assert "待补 1 处" in result.output
    out = next(Path(".").glob("*.docx"))
    assert runs_styled(out, "GwPlaceholder") == [f"【待补：{label}】"]
    styles = zipfile.ZipFile(out).read("word/styles.xml").decode("utf-8")
    assert re.search(r'w:styleId="GwPlaceholder".*?<w:name w:val="待补"/>.*?<w:shd [^>]*w:fill="FFFF00"', styles, re.S)


@pytest.mark.parametrize("style, key", [("summary", "  评价: "), ("summary", "  存在问题: "), ("experience", "  核心理念: ")])
def test_deleting_an_optional_fact_leaves_no_placeholder(tmp_path, style, key):
    text = SAMPLE_TEXT
    if "存在问题" in key:  # the whole list with its items
        text = re.sub(r"\n  存在问题:[^\n]*(\n    - [^\n]*)+", "", text)
    else:
        text = re.sub(rf"\n{key}[^\n]*", "", text)
    result = invoke("report", write(tmp_path, text), "--style", style, "--strict")
    assert result.exit_code == 0 and "待补" not in result.output, result.output


def test_a_fact_the_template_does_not_print_is_reported_at_its_line(tmp_path):
    # every area pins its heading, so a 排比框架 added to the sheet is never printed
    text = SAMPLE_TEXT.replace("\n工作领域:", f"\n排比框架: {OTHER_FRAME}\n工作领域:", 1)
    path = write(tmp_path, text)
    line, column = line_of(text, OTHER_FRAME)
    for args in (("report",), ("report", "--style", "experience"), ("speech",)):
        result = invoke(*args[:1], path, *args[1:])
        assert result.exit_code == 0, result.output
        assert f"提示：{path}:{line}:{column}: 排比框架: 未使用：“{OTHER_FRAME[:20]}……”没有写进文稿" in result.output


def test_the_sample_accounts_for_every_fact_each_kind_reads():
    """Every fact of the sections a kind reads is printed (or declared unprinted): --strict passes."""
    for args in (["speech"], ["report"], ["report", "--style", "experience"], ["news", "--style", "feature"],
                 ["news", "--event", "2024-01"], ["news", "--event", "2024-02"], ["news", "--event", "2024-03"],
                 ["news", "--event", "2024-02-05"]):
        result = invoke(args[0], SAMPLE, *args[1:], "--strict", "--format", "txt")
        assert result.exit_code == 0, (args, result.output)
        assert "未使用" not in result.output, args


def test_news_accounts_only_for_the_chosen_event(tmp_path):
    text = SAMPLE_TEXT.replace("    事项: 调研基层统战实践阵地建设工作",
                               "    事项: 调研基层统战实践阵地建设工作\n    结语: 调研组一行还看望了驻点统战干部", 1)
    path = write(tmp_path, text)
    line, column = line_of(text, "调研组一行还看望了驻点统战干部")
    assert "未使用" not in invoke("news", path, "--event", "2024-03", "--format", "txt").output  # printed there
    result = invoke("news", path, "--event", "2024-01", "--format", "txt")
    assert result.exit_code == 0 and "未使用" not in result.output  # another event is not the meeting's business


def test_strict_refuses_unused_facts_and_writes_nothing(tmp_path):
    text = SAMPLE_TEXT.replace("\n工作领域:", f"\n排比框架: {OTHER_FRAME}\n工作领域:", 1)
    path = write(tmp_path, text)
    line, column = line_of(text, OTHER_FRAME)
    result = invoke("report", path, "--strict")
    assert result.exit_code == 1
    assert f"{path}:{line}:{column}: 排比框架: 未使用：“{OTHER_FRAME[:20]}……”没有写进文稿" in result.output
    assert "--strict：文稿有 1 处事实没有写进文稿，没有写出文件" in result.output
    assert not list(Path(".").glob("*.docx"))


def test_strict_refuses_placeholders_and_says_where_to_fill_them(tmp_path):
    text = re.sub(r"\n  - 排比标题: 织密网络[^\n]*", "\n  -", SAMPLE_TEXT, count=1)
    path = write(tmp_path, text)
    result = invoke("report", path, "--strict")
    assert result.exit_code == 1
    assert f"{path}:" in result.output and "工作领域[1].排比标题: 待补：事实表没有填写，文稿中显示为【待补：排比标题】" in result.output
    assert "--strict：文稿有 1 处待补，没有写出文件" in result.output
    assert not list(Path(".").glob("*.docx"))
    assert invoke("report", path).exit_code == 0  # without --strict: written, placeholders counted


def test_every_document_command_has_strict():
    for kind in ("speech", "news", "report"):
        assert "--strict" in invoke(kind, "--help").output


# --------------------------------------------------------------------------- 排比 headings


def frame_sheet(tmp_path, frame=FRAME):
    data = sample()
    for area in data["工作领域"]:
        del area["排比标题"]
    return dump(tmp_path, {"排比框架": frame, **data})


def test_a_frame_fills_the_headings_of_every_kind(tmp_path):
    path = frame_sheet(tmp_path)
    data = sample()
    heads = ["织密网络", "织牢制度", "织紧纽带", "织亮品牌"]
    summary = txt(path)
    for number, head, area in zip("一二三四", heads, data["工作领域"]):
        assert f"\n{INDENT}（{number}）{head}，{area['标题展开']}\n" in summary
    experience = txt(path, style="experience")
    for number, head, area in zip("一二三四", heads, data["工作领域"]):
        assert f"\n{INDENT}{number}、{head}，{area['标题展开']}\n" in experience
    speech = txt(path, kind="speech")
    assert f"\n{INDENT}织牢制度，{data['工作领域'][1]['标题展开']}。" in speech
    feature = txt(path, kind="news", style="feature")
    assert feature.startswith("、".join(heads) + "\n")
    result = invoke("report", path, "--strict", "--format", "txt")
    assert result.exit_code == 0 and "不够对仗" not in result.output  # the frame counts as printed; its headings are parallel


def test_a_pinned_heading_wins_over_the_frame(tmp_path):
    data = yaml.safe_load(frame_sheet(tmp_path).read_text(encoding="utf-8"))
    data["工作领域"][2]["排比标题"] = "织紧同心结"
    text = txt(dump(tmp_path, data))
    assert "（三）织紧同心结，" in text and "（四）织亮品牌，" in text


def test_a_frame_too_short_is_reported_at_its_line(tmp_path):
    path = frame_sheet(tmp_path, "织{密|牢}{网络|制度|纽带|品牌}")
    result = invoke("report", path)
    line, column = line_of(path.read_text(encoding="utf-8"), "织{密|牢}")
    assert result.exit_code == 1
    assert f"{path}:{line}:{column}: 排比框架: 排比框架“织{{密|牢}}{{网络|制度|纽带|品牌}}”的“{{密|牢}}”只有 2 个选项，不够第 3 个标题用" in result.output


def test_neither_heading_nor_frame_gives_a_placeholder(tmp_path):
    data = sample()
    del data["工作领域"][0]["排比标题"]
    text = txt(dump(tmp_path, data))
    assert f"（一）【待补：排比标题】，{data['工作领域'][0]['标题展开']}" in text


def test_unparallel_headings_are_warned_for_the_report(tmp_path):
    data = sample()
    data["工作领域"][1]["排比标题"] = "健全制度机制体系"
    result = invoke("report", dump(tmp_path, data), "--format", "txt")
    assert result.exit_code == 0
    warning = next(line for line in result.output.splitlines() if "不够对仗" in line)
    assert warning.startswith("提示：") and "第2级（节）标题不够对仗：字数不一（21、25、21、21 字）：" in warning
    assert "／健全制度机制体系，" in warning
    result = invoke("speech", dump(tmp_path, data), "--format", "txt")
    assert "第1级（部分）标题不够对仗：字数不一（" in result.output  # every kind is checked, however its form prints


def test_framing_headings_are_not_checked():
    result = invoke("report", SAMPLE, "--format", "txt")
    assert "对仗" not in result.output  # 工作开展情况／存在的问题和不足／工作计划 are .非排比
    result = invoke("report", SAMPLE, "--style", "experience", "--format", "txt")
    assert "对仗" not in result.output


# --------------------------------------------------------------------------- one sheet, one truth


def test_one_sheet_one_truth():
    """The speech, the summary, the experience material and the news, from the sample sheet, write
    the numbers, names and titles they share identically: as the sheet writes them."""
    docs = {
        "speech": txt(SAMPLE, kind="speech"),
        "summary": txt(SAMPLE),
        "experience": txt(SAMPLE, style="experience"),
        "feature": txt(SAMPLE, kind="news", style="feature"),
        "meeting": txt(SAMPLE, kind="news", event="2024-01"),
    }
    data = sample()
    # every number with the character after it (its measure word) stands in the sheet as written
    for name, text in docs.items():
        text = re.sub(r"(\d{4}年)?\d{1,2}月\d{1,2}日", "", text)  # dates: the sheet writes them 2024-12-17
        for token in re.findall(r"(?<![\d.])\d+(?:\.\d+)?[^\d\s，。；、：）“”]?", text):
            assert token in SAMPLE_TEXT, (name, token)
    # the work areas' facts read the same wherever they are printed
    for name in ("speech", "summary", "experience", "feature"):
        for area in data["工作领域"]:
            assert area["排比标题"] in docs[name] and area["概述"] in docs[name], name
            for point in area["要点"]:
                assert point["内容"] in docs[name], (name, point["领句"])
    # the year's slogan and its expansion, and the guidance, where the speech, summary and feature print them
    speech = data["汇报"]
    for name in ("speech", "summary", "feature"):
        assert f"围绕{speech['工作思路']}，{'，'.join(speech['思路内容'])}，" in docs[name], name
        assert "、".join(speech["遵循"][:-1]) + "和" + speech["遵循"][-1] in docs[name], name
    # the summary's headline indicators are the areas' own numbers, as the speech prints them
    for indicator in data["工作总结"]["指标"]:
        assert indicator["数值"] in docs["speech"], indicator
    # the unit's names
    unit = data["单位"]
    assert docs["summary"].startswith(unit["全称"]) and docs["summary"].rstrip().splitlines()[-2] == unit["全称"]
    assert docs["experience"].splitlines()[2] == unit["全称"]
    for name in ("summary", "experience", "feature"):
        assert unit["简称"] in docs[name]
    # people: the speaker of the speech is named as in the meeting news
    speaker = speech["发言人"]
    assert f"{speaker['职务']} {speaker['姓名']}" in docs["speech"] and speaker["姓名"] in docs["meeting"]
    # 2025's plan repeats the 同心微家 number of the speech's 下一步 identically
    assert "新建“同心微家”10个" in docs["summary"] and "新建“同心微家”10个" in docs["speech"]
