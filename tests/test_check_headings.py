"""核稿 of heading numbering (GB/T 9704 §7.3.3), parallel leads, layout drift and length."""
from drafter.check import headings, length, typesetting
from drafter.check.findings import DOUBT, GB9704, HINT, SHEET
from drafter.readers import ReadDraft, ReadParagraph


def paragraphs(*texts, level=None):
    return [ReadParagraph(number=n, position=n - 1, text=t, heading_level=level) for n, t in enumerate(texts, 1)]


def found(texts):
    return [(f.paragraph, f.rule) for f in headings.check(paragraphs(*texts))]


def test_a_correct_outline_is_quiet():
    assert found(["一、总体情况", "（一）织密网络。压实责任。", "（二）织牢制度。健全机制。", "1.建立台账。",
                  "2.定期调度。", "（三）织紧纽带。", "二、存在的问题", "（一）基础薄弱。", "（二）力量不足。"]) == []


def test_a_skipped_number_is_found_where_it_happens():
    assert found(["一、甲", "二、乙", "四、丁"]) == [(3, "heading.sequence")]
    finding = next(headings.check(paragraphs("一、甲", "二、乙", "四、丁")))
    assert finding.severity == DOUBT and finding.source == GB9704 and "应为第3个" in finding.message
    assert (finding.start, finding.end) == (0, 2)


def test_a_series_restarts_under_each_parent_and_must_start_at_one():
    assert found(["一、甲", "（一）子", "（二）丑", "二、乙", "（一）寅"]) == []
    assert found(["一、甲", "（二）子"]) == [(2, "heading.sequence")]
    assert found(["一、甲", "（一）子", "二、乙", "（二）丑"]) == [(4, "heading.sequence")]


def test_a_list_may_start_again_at_one():
    assert found(["一、甲", "二、乙", "正文。", "一、丙", "二、丁"]) == []


def test_one_form_per_level():
    assert found(["一、甲", "（一）乙", "1.子", "2、丑"]) == [(4, "heading.form")]


def test_a_skipped_level_is_a_hint_not_an_error():
    findings = list(headings.check(paragraphs("一、甲", "1.子", "2.丑")))
    assert [(f.paragraph, f.rule, f.severity) for f in findings] == [(2, "heading.skipped-level", HINT)]


def test_automatic_numbering_counts_like_typed():
    items = [ReadParagraph(number=1, position=0, text="甲", label="一、"),
             ReadParagraph(number=2, position=1, text="乙", label="三、")]
    assert [(f.paragraph, f.rule) for f in headings.check(items)] == [(2, "heading.sequence")]


def test_leads_of_a_series_should_be_parallel():
    assert found(["一、甲", "（一）织密网络。正文。", "（二）织牢制度。正文。", "（三）织紧纽带。正文。"]) == []
    assert found(["一、甲", "（一）织密网络。正文。", "（二）加强队伍建设工作。正文。"]) == [(2, "heading.parallel")]


def test_dates_and_decimals_are_not_enumerators():
    assert found(["2024.12.17", "3.5万元", "12月17日"]) == []


def test_formatting_typed_over_the_style_is_drift():
    draft = ReadDraft([ReadParagraph(1, 0, "正文。"), ReadParagraph(2, 1, "改过的。", direct={"font": "宋体", "size": "14"})])
    [finding] = typesetting.check(draft)
    assert finding.paragraph == 2 and "宋体" in finding.message and "14 磅" in finding.message


def test_word_count_as_word_counts_it():
    assert length.word_count("全年接待1200余人次，同比增长12.5%。") == 13 + 2  # 13 汉字 and marks, 2 numbers
    assert length.word_count("Word 文档") == 3


def test_length_over_the_sheet_s_limit():
    over = length.Length(characters=2100, rate=200, limit_minutes=10)
    [finding] = length.check(over)
    assert finding.severity == DOUBT and finding.source == SHEET and "10.5 分钟" in finding.message
    assert list(length.check(length.Length(characters=1900, rate=200, limit_minutes=10))) == []
    assert [f.rule for f in length.check(length.Length(2100, 200, limit_characters=2000))] == ["length.characters"]


def test_headings_restarting_at_one_are_a_mistake():
    headings_only = paragraphs("一、甲", "二、乙", "一、丙", level=1)
    assert [(f.paragraph, f.rule) for f in headings.check(headings_only)] == [(3, "heading.sequence")]


def test_an_attachment_list_starts_after_the_word():
    assert found(["正文。", "附件：1.青禾区统战工作责任清单", "2.青禾区统战阵地建设规范"]) == []
