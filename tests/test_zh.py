"""Chinese text helpers (drafter.zh): dates, lists, clauses, headlines, numerals, punctuation."""
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafter import zh
from drafter.zh import (
    FILTERS,
    describe_changes,
    normalise_punctuation,
    zh_clause,
    zh_clauses,
    zh_date,
    zh_day,
    zh_days,
    zh_headline,
    zh_join,
    zh_list,
    zh_month_day,
    zh_numeral,
    zh_sentence,
)

D = datetime.date


def test_every_helper_is_a_filter_and_the_old_names_stay():
    for name in ("zh_date", "zh_month_day", "zh_join", "zh_sentence",
                 "zh_day", "zh_days", "zh_list", "zh_clause", "zh_clauses", "zh_headline", "zh_punctuation"):
        assert FILTERS[name] is getattr(zh, name)
    assert FILTERS["zh_numeral"] is zh.zh_counted  # for templates: counts of the sheet only


def test_dates_full_and_month_day():
    assert zh_date(D(2024, 4, 3)) == "2024年4月3日"
    assert zh_month_day(D(2024, 12, 17)) == "12月17日"
    assert zh_date("不是日期") == "不是日期"


@pytest.mark.parametrize("value, year, time, expected", [
    (D(2024, 4, 19), 2024, "上午", "4月19日上午"),
    (D(2024, 4, 19), 2024, None, "4月19日"),
    (D(2023, 12, 28), 2024, "下午", "2023年12月28日下午"),  # not the sheet's year: say which
    (D(2024, 4, 19), None, None, "2024年4月19日"),  # no year to compare with: never drop it
    (D(2024, 4, 19), "2024", "", "4月19日"),
])
def test_news_day_has_the_year_only_when_it_differs(value, year, time, expected):
    assert zh_day(value, year, time) == expected


@pytest.mark.parametrize("start, end, expected", [
    (D(2024, 6, 18), D(2024, 6, 20), "6月18日至20日"),
    (D(2024, 6, 28), D(2024, 7, 2), "6月28日至7月2日"),
    (D(2024, 12, 30), D(2025, 1, 2), "12月30日至2025年1月2日"),
    (D(2023, 12, 30), D(2024, 1, 2), "2023年12月30日至2024年1月2日"),
    (D(2024, 6, 18), D(2024, 6, 18), "6月18日"),
    (D(2024, 6, 18), None, "6月18日"),
])
def test_day_spans(start, end, expected):
    assert zh_days(start, end, 2024) == expected


def test_join_keeps_its_old_behaviour_and_takes_an_explicit_last_joint():
    assert zh_join(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert zh_join(["甲", "乙", "丙"], "，") == "甲，乙，丙"
    assert zh_join(["甲", "乙", "丙"], "、", "、") == "甲、乙、丙"
    assert zh_join(["甲", "乙"], "，", "以及") == "甲以及乙"
    assert zh_join(["甲"]) == "甲" and zh_join([]) == ""


def test_list_switches_to_commas_when_items_have_their_own_joints():
    assert zh_list(["云溪街道党工委", "区工商联", "开发区管委会"]) == "云溪街道党工委、区工商联和开发区管委会"
    assert zh_list(["成员单位负责同志", "各街道书记、统战委员", "党外代表人士"]) == \
        "成员单位负责同志，各街道书记、统战委员，党外代表人士"
    assert zh_list(["专题辅导", "分组研讨和交流发言"]) == "专题辅导，分组研讨和交流发言"


def test_sentence_and_clauses():
    assert zh_sentence("总结成绩，安排工作") == "总结成绩，安排工作。"
    assert zh_sentence("好！") == "好！" and zh_sentence("甲，") == "甲。"
    assert zh_clause("要坚持全面领导。") == "要坚持全面领导"
    assert zh_clause("比例为3.") == "比例为3."  # a digit's point is not a full stop
    assert zh_clauses(["要甲。", "要乙；", "要丙"]) == "要甲；要乙；要丙。"
    assert zh_clauses(["要甲"]) == "要甲。"
    assert zh_clauses(["甲", "乙"], "，") == "甲，乙。"


def test_headlines_and_subheads_carry_spaces_not_commas():
    assert zh_headline("织密网络，压实责任链条，坚持上下贯通强覆盖") == "织密网络　压实责任链条　坚持上下贯通强覆盖"
    assert zh_headline("凝聚共识、凝聚人心。") == "凝聚共识、凝聚人心"


def test_numerals():
    assert [zh_numeral(n) for n in (1, 10, 11, 21, 99)] == ["一", "十", "十一", "二十一", "九十九"]
    assert zh_numeral(100) == "100"


@pytest.mark.parametrize("text, expected", [
    ("青禾区,枫岭市", "青禾区，枫岭市"),
    ("时间:2024年", "时间：2024年"),
    ("好!对吗?", "好！对吗？"),
    ("一是抓;二是管", "一是抓；二是管"),
    ("《规范(试行)》", "《规范（试行）》"),
    ("(1)建立台账", "（1）建立台账"),  # a bracket pair changes together
    ("成立于(2023)年", "成立于（2023）年"),
    ("GDP(国内生产总值)", "GDP（国内生产总值）"),
    ("1,我们", "1，我们"),
    ("青禾区 , 枫岭市", "青禾区，枫岭市"),  # spaces around a changed mark go
    ("x,(中", "x，（中"),  # a changed mark makes its neighbour Chinese
    # ASCII inside numbers, Latin and addresses stays
    ("3,000元", "3,000元"),
    ("比例1:500", "比例1:500"),
    ("10:30开会", "10:30开会"),
    ("f(x)=1", "f(x)=1"),
    ("A,B", "A,B"),
    ("占比3.5%", "占比3.5%"),
    ("见http://a.cn/x?a=1,b。", "见http://a.cn/x?a=1,b。"),
    ("邮箱a.b@qh.gov.cn,电话", "邮箱a.b@qh.gov.cn，电话"),
    ("全角，不动。", "全角，不动。"),
])
def test_punctuation_in_chinese_text_becomes_full_width(text, expected):
    assert normalise_punctuation(text)[0] == expected
    assert FILTERS["zh_punctuation"](text) == expected


def test_punctuation_report_counts_each_change():
    text, counts = normalise_punctuation("甲,乙,丙(丁)")
    assert text == "甲，乙，丙（丁）"
    assert counts == {(",", "，"): 2, ("(", "（"): 1, (")", "）"): 1}
    assert describe_changes(counts) == "“,”→“，”（2 处）、“(”→“（”（1 处）、“)”→“）”（1 处）"
    assert normalise_punctuation("没有半角标点")[1] == {}


_MARKS = st.sampled_from(list(",:;()!? ，。（）") + ["统战", "ab", "3", "12", "、", "“", "http://x.cn/a?b=1,c"])


@given(st.lists(_MARKS, max_size=12).map("".join))
def test_punctuation_is_idempotent_and_changes_only_those_marks(text):
    out, counts = normalise_punctuation(text)
    assert normalise_punctuation(out) == (out, {})
    back = str.maketrans({full: half for half, full in zh.FULL_WIDTH.items()})
    assert "".join(out.translate(back).split()) == "".join(text.translate(back).split())
    assert sum(text.count(half) - out.count(half) for half in zh.FULL_WIDTH) == sum(counts.values())


def test_zh_sentence_drops_every_clause_mark_left_at_the_end():
    assert zh_sentence("做好基层，，") == "做好基层。"
    assert zh_sentence("做好基层；，") == "做好基层。"


def test_a_count_of_two_is_liang_and_a_position_is_er():
    from drafter.provenance import Count, Counting

    assert str(zh.zh_counted(Count(2, Counting("计数")))) == "两"
    assert str(zh.zh_counted(Count(2, Counting("序号")))) == "二"
    assert str(zh.zh_counted(Count(12, Counting("计数")))) == "十二"


def test_zh_sentence_keeps_an_opening_colon_and_a_stage_direction():
    """A host's cue “宣读表彰决定：” opens what follows; “（宣读完毕）” is all brackets: neither takes a 。."""
    from drafter.zh import zh_sentence

    assert zh_sentence("请宣读表彰决定：") == "请宣读表彰决定："
    assert zh_sentence("（宣读完毕）") == "（宣读完毕）"
    assert zh_sentence("请大家鼓掌（掌声）") == "请大家鼓掌（掌声）。"  # brackets at the end only: still a sentence
    assert zh_sentence("主要任务是，") == "主要任务是。"
