"""Fact accounting: values the draft never printed are reported with their line."""
from drafter.accounting import unused_facts
from drafter.document import parse_outline
from drafter.facts import load_sheet


def sheet(tmp_path, text):
    path = tmp_path / "2024.yaml"
    path.write_text(text, encoding="utf-8")
    return load_sheet(path)


SHEET = """年度: 2024
工作成效:
  - 事项:
      - 建立示范点29个
      - 投入资金15万余元，
  - 事项:
      - 认定代表人士865名
    日期: 2024-04-23
其他:
  - 不读的部分
"""


def test_unprinted_values_are_listed_with_their_lines(tmp_path):
    facts = sheet(tmp_path, SHEET)
    doc = parse_outline("建立示范点29个，投入资金15万余元。\n\n会议于2024年4月23日召开。\n")
    problems = unused_facts(facts, ["工作成效"], doc)
    assert [str(p) for p in problems] == [
        f"{facts.path}:7:9: 工作成效[2].事项[1]: 未使用：“认定代表人士865名”没有写进文稿"]


def test_sections_the_kind_does_not_read_are_ignored(tmp_path):
    facts = sheet(tmp_path, SHEET)
    doc = parse_outline("建立示范点29个投入资金15万余元认定代表人士865名4月23日\n")
    assert unused_facts(facts, ["工作成效"], doc) == []
    assert [p.path for p in unused_facts(facts, ["其他"], doc)] == ["其他[1]"]


def test_values_folded_or_escaped_still_count_as_used(tmp_path):
    facts = sheet(tmp_path, '要点:\n  - "第一行\\n第二行"\n  - "# 重点 [x]{.待补}"\n')
    from drafter.document import escape
    doc = parse_outline(escape("第一行\n第二行") + "\n\n" + escape("# 重点 [x]{.待补}") + "\n")
    assert unused_facts(facts, ["要点"], doc) == []
