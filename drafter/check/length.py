"""Length: Word's 字数 and the speaking time, against the limit the sheet may set (核稿: 限时 or 字数).

Meetings cap a speech at 5–10 minutes or 1,600–2,000 字; staff write the cap into the sheet's 核稿
section, e.g. ``核稿: {限时: 8分钟}`` or ``核稿: {字数: 2000}``, and the speaking rate there too
(语速, 字/分钟) when their speaker is faster or slower than the default in templates/check.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from ..errors import DrafterError, Problem, did_you_mean
from ..facts import FactSheet
from ..readers import ReadDraft
from .findings import DOUBT, SHEET, Finding

SECTION = "核稿"
SETTINGS = ("限时", "字数", "语速")
LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.'’%-]*")
AMOUNT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(分钟|分|字/分钟|字)?\s*")


@dataclass(frozen=True)
class Length:
    characters: int  # Word's 字数: each Chinese character or full-width mark, each Latin word or number
    rate: int  # 字/分钟
    limit_minutes: Optional[float] = None
    limit_characters: Optional[int] = None

    @property
    def minutes(self) -> float:
        return self.characters / self.rate

    def describe(self) -> str:
        text = f"全文 {self.characters} 字，按每分钟 {self.rate} 字约讲 {self.minutes:.1f} 分钟"
        limits = []
        if self.limit_minutes:
            limits.append(f"限时 {self.limit_minutes:g} 分钟")
        if self.limit_characters:
            limits.append(f"限 {self.limit_characters} 字")
        return text + (f"（事实表：{'，'.join(limits)}）" if limits else "")


def word_count(text: str) -> int:
    """As Word counts 字数: every East Asian character (punctuation included) is one, and every run
    of Latin letters or digits is one more."""
    east_asian = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return east_asian + len(LATIN_WORD.findall(text))


def speaking_rate(words: dict) -> int:
    """The default rate, 字/分钟, from templates/check.yaml (length: {rate: …})."""
    rate = (words.get("length") or {}).get("rate") if isinstance(words.get("length"), dict) else None
    if not isinstance(rate, (int, str)) or not str(rate).isdigit() or int(rate) <= 0:
        raise DrafterError("核稿词表 check.yaml：length.rate（每分钟字数）应是正整数")
    return int(rate)


def measure(draft: ReadDraft, sheet: Optional[FactSheet], default_rate: int) -> Length:
    settings = _settings(sheet)
    rate = _amount(sheet, settings, "语速", ("字/分钟", "字")) or default_rate
    return Length(sum(word_count(p.full_text) for p in draft.paragraphs), int(rate),
                  _amount(sheet, settings, "限时", ("分钟", "分")), _whole(_amount(sheet, settings, "字数", ("字",))))


def check(length: Length) -> Iterator[Finding]:
    if length.limit_minutes and length.minutes > length.limit_minutes:
        yield Finding(0, DOUBT, SHEET, "length.minutes",
                      f"{length.describe()}，超出限时 {length.minutes - length.limit_minutes:.1f} 分钟")
    if length.limit_characters and length.characters > length.limit_characters:
        yield Finding(0, DOUBT, SHEET, "length.characters",
                      f"{length.describe()}，超出 {length.characters - length.limit_characters} 字")


def _settings(sheet: Optional[FactSheet]) -> dict:
    section = sheet.data.get(SECTION) if sheet is not None and isinstance(sheet.data, dict) else None
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise DrafterError(_problem(sheet, (SECTION,), "应是“限时: 8分钟”“字数: 2000”“语速: 200”这样的项"))
    unknown = [key for key in section if key not in SETTINGS]
    if unknown:
        hint = did_you_mean(str(unknown[0]), SETTINGS)
        raise DrafterError(_problem(sheet, (SECTION, unknown[0]),
                                    f"核稿一节没有“{unknown[0]}”这一项（可写：{'、'.join(SETTINGS)}）{hint}"))
    return section


def _amount(sheet: Optional[FactSheet], settings: dict, key: str, units: tuple) -> Optional[float]:
    value: Any = settings.get(key)
    if value is None:
        return None
    match = AMOUNT.fullmatch(str(value))
    if not match or (match.group(2) and match.group(2) not in units) or float(match.group(1)) <= 0:
        raise DrafterError(_problem(sheet, (SECTION, key), f"“{value}”应是正数（单位：{units[0]}）"))
    return float(match.group(1))


def _whole(value: Optional[float]) -> Optional[int]:
    return None if value is None else int(value)


def _problem(sheet: FactSheet, path: tuple, message: str) -> Problem:
    line, column = sheet.where(path)
    return Problem(message, sheet.path, line, column, ".".join(path))
