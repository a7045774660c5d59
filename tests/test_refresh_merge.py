"""The three-way merge behind ``drafter refresh``: sheet corrections reach a draft staff edited, as
small edits on whole numbers and words, and never overwrite what staff changed in the same place."""
import random

from drafter.refresh_merge import Conflict, Edit, Merge, merge, merged_text

SENTENCE = "将统战工作纳入全区党建工作责任制考核，区委常委会5次专题研究统战工作，全年印发工作提示17份。"


def _edits(printed, new):
    """The sheet's change on an untouched draft, as (old, text) pairs."""
    m = merge(printed, printed, new)
    assert m.conflicts == ()
    assert merged_text(printed, m) == new
    return [(e.old, e.text) for e in m.edits]


def _well_formed(current, m):
    at = 0
    for e in m.edits:
        assert at <= e.start <= e.end <= len(current)
        assert current[e.start:e.end] == e.old
        at = e.end


def test_number_change_is_one_whole_number():
    assert _edits("全年印发工作提示17份", "全年印发工作提示18份") == [("17", "18")]
    m = merge("全年印发工作提示17份", "全年印发工作提示17份", "全年印发工作提示18份")
    assert m.edits == (Edit(8, 10, "17", "18"),)


def test_decimal_is_not_split():
    assert _edits("总额4.57亿元", "总额4.75亿元") == [("4.57", "4.75")]


def test_digit_inserted_into_a_number():
    assert _edits("区委常委会5次专题研究", "区委常委会15次专题研究") == [("5", "15")]
    assert _edits("区委常委会15次专题研究", "区委常委会5次专题研究") == [("15", "5")]


def test_date_gives_an_edit_per_whole_number():
    assert _edits("于2024年12月17日召开", "于2025年1月7日召开") == [("2024", "2025"), ("12", "1"), ("17", "7")]


def test_percentage_and_latin_are_tokens():
    assert _edits("增长12.5%，GDP稳定", "增长13%，GRP稳定") == [("12.5%", "13%"), ("GDP", "GRP")]


def test_nearby_chinese_changes_join_into_one_edit():
    # 常委会 → 全会 and 提高了效率 → 提升了质量: no confetti of one-character edits
    assert _edits("区委常委会专题研究", "区委全会专题研究") == [("常委", "全")]
    assert _edits("明显提高了效率", "明显提升了质量") == [("高了效率", "升了质量")]


def test_unchanged_sheet_means_nothing_to_do():
    assert merge(SENTENCE, SENTENCE, SENTENCE) == Merge((), ())
    edited = SENTENCE.replace("全年", "全年共")
    assert merge(SENTENCE, edited, SENTENCE) == Merge((), ())


def test_staff_already_typed_the_correction():
    new = SENTENCE.replace("17份", "18份")
    assert merge(SENTENCE, new, new) == Merge((), ())


def test_staff_made_the_same_change_and_more():
    new = SENTENCE.replace("17份", "18份")
    current = new.replace("全年", "全年共")
    assert merge(SENTENCE, current, new) == Merge((), ())


def test_staff_inserted_a_word_before_the_figure():
    m = merge("全年印发工作提示17份", "全年共印发工作提示17份", "全年印发工作提示18份")
    assert m.conflicts == ()
    assert m.edits == (Edit(9, 11, "17", "18"),)
    assert merged_text("全年共印发工作提示17份", m) == "全年共印发工作提示18份"


def test_staff_rewrote_the_sentence_around_the_figure():
    current = "全年共印发各类工作提示17份，有力推动落实"
    m = merge("全年印发工作提示17份", current, "全年印发工作提示18份")
    assert m.conflicts == ()
    assert [(e.old, e.text) for e in m.edits] == [("17", "18")]
    assert merged_text(current, m) == "全年共印发各类工作提示18份，有力推动落实"


def test_staff_deleted_text_before_the_figure():
    current = SENTENCE.replace("将统战工作纳入全区党建工作责任制考核，", "")
    new = SENTENCE.replace("17份", "18份")
    m = merge(SENTENCE, current, new)
    _well_formed(current, m)
    assert m.conflicts == ()
    assert merged_text(current, m) == current.replace("17份", "18份")


def test_staff_changed_the_same_figure_is_a_conflict():
    m = merge("区委常委会5次专题研究", "区委常委会7次专题研究", "区委常委会6次专题研究")
    assert m.edits == ()
    assert m.conflicts == (Conflict(printed="5", new="6", current="7"),)


def test_one_change_applies_and_one_conflicts():
    current = SENTENCE.replace("5次", "7次").replace("全年", "全年共")
    new = SENTENCE.replace("5次", "6次").replace("17份", "18份")
    m = merge(SENTENCE, current, new)
    _well_formed(current, m)
    assert [(e.old, e.text) for e in m.edits] == [("17", "18")]
    assert m.conflicts == (Conflict(printed="5", new="6", current="7"),)
    assert merged_text(current, m) == SENTENCE.replace("5次", "7次").replace("全年", "全年共").replace("17份", "18份")


def test_conflict_reports_the_whole_staff_stretch():
    printed = "区委常委会5次专题研究"
    current = "区委常委会7回专题研究"  # staff changed the figure and the word next to it
    m = merge(printed, current, "区委常委会6次专题研究")
    assert m.edits == ()
    assert m.conflicts == (Conflict(printed="5次", new="6次", current="7回"),)


def test_sheet_deletes_a_clause():
    new = "将统战工作纳入全区党建工作责任制考核，全年印发工作提示17份。"
    assert _edits(SENTENCE, new) == [("区委常委会5次专题研究统战工作，", "")]
    current = SENTENCE.replace("17份", "十七份")  # staff edited elsewhere: the deletion still applies
    m = merge(SENTENCE, current, new)
    assert m.conflicts == ()
    assert [e.text for e in m.edits] == [""]
    assert merged_text(current, m) == new.replace("17份", "十七份")


def test_sheet_inserts_a_clause():
    new = SENTENCE.replace("全年印发", "召开统战工作会议2次，全年印发")
    m = merge(SENTENCE, SENTENCE, new)
    assert len(m.edits) == 1 and m.edits[0].start == m.edits[0].end and m.edits[0].old == ""
    assert merged_text(SENTENCE, m) == new
    current = SENTENCE.replace("将统战", "坚持将统战")
    m = merge(SENTENCE, current, new)
    assert m.conflicts == () and m.edits[0].start == m.edits[0].end
    assert merged_text(current, m) == new.replace("将统战", "坚持将统战")


def test_insertions_at_the_same_point_conflict():
    m = merge("全年印发工作提示", "全年共印发工作提示", "全年累计印发工作提示")
    assert m.edits == ()
    assert m.conflicts == (Conflict(printed="", new="累计", current="共"),)


def test_staff_emptied_the_anchor():
    m = merge("全年印发工作提示17份", "", "全年印发工作提示18份")
    assert m.edits == ()
    assert m.conflicts == (Conflict("全年印发工作提示17份", "全年印发工作提示18份", ""),)


def _mutate(rng, text):
    pieces = ["份", "次", "会", "工作", "党建", "17", "4.57", "2024", "%", "，", "GDP", "各类"]
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(chars) + 1)
        kind = rng.choice(("replace", "insert", "delete", "digit"))
        if kind == "insert":
            chars[at:at] = list(rng.choice(pieces))
        elif kind == "delete":
            del chars[at:at + rng.randint(1, 5)]
        elif kind == "digit":
            chars[at:at] = [str(rng.randrange(10))]
        else:
            chars[at:at + rng.randint(1, 3)] = list(rng.choice(pieces))
    return "".join(chars)


def test_untouched_draft_always_becomes_the_new_text():
    rng = random.Random(20240517)
    bases = [SENTENCE, "全年印发工作提示17份", "于2024年12月17日召开", "总额4.57亿元，增长12.5%", "GDP"]
    for n in range(60):
        printed = bases[n % len(bases)]
        new = _mutate(rng, printed)
        m = merge(printed, printed, new)
        _well_formed(printed, m)
        assert m.conflicts == ()
        assert merged_text(printed, m) == new, (printed, new, m)
        for e in m.edits:  # never a cut through the middle of a number
            for s, i in ((printed, e.start), (printed, e.end)):
                assert not (0 < i < len(s) and s[i - 1].isdigit() and s[i].isdigit()), (printed, new, e)


def test_staff_edits_in_one_clause_and_sheet_changes_in_another_both_survive():
    rng = random.Random(7)
    head, tail = "将统战工作纳入全区党建工作责任制考核，", "区委常委会5次专题研究统战工作，全年印发工作提示17份。"
    ran = 0
    for _ in range(40):
        staff_head = _mutate(rng, head).rstrip("，") + "，"  # staff's edit stays inside the first clause
        sheet_tail = _mutate(rng, tail)
        if not sheet_tail.startswith(tail[:2]):
            continue  # a change at the clause boundary may rightly touch the staff's stretch
        ran += 1
        m = merge(head + tail, staff_head + tail, head + sheet_tail)
        _well_formed(staff_head + tail, m)
        assert m.conflicts == (), (staff_head, sheet_tail)
        assert merged_text(staff_head + tail, m) == staff_head + sheet_tail
    assert ran >= 20
