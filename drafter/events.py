"""The year's events (活动) in a fact sheet: their ids, their types, and choosing one for a release.

A sheet lists its meetings, trainings and visits under 活动. ``drafter news --event X`` takes X as an
event's id (编号, or the derived one) or as a type (会议, meeting, 调研, activity …). Which key names
an event's id, type and date is read from the shared event schema (templates/news/event.yaml), and
which news style a type is written in from templates/news/types.yaml: both are data a template
author edits, not Python.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .errors import DrafterError, Problem
from .facts import FactSheet, PathTuple, format_path, load_yaml
from .validate import Field, Schema, load_schema, parse_date
from .zh import zh_date

KIND = "news"
EVENT_FIELD = "event"  # the top-level field of the news schemas that a chosen event is validated as
EVENT_SCHEMA = "event.yaml"
TYPES_FILE = "types.yaml"
SHOWN = 20  # events a note or a listing names; a sheet of 10,000 must not fill the screen


def takes_event(schema: Schema) -> bool:
    """Whether a style writes one event of the sheet (its schema has the ``event`` field)."""
    return EVENT_FIELD in (schema.root.fields or {})


@dataclass
class Event:
    """One item of the sheet's 活动 list, as far as choosing it needs."""

    path: PathTuple  # where it was written: ("活动", 1)
    id: str
    derived: bool  # the id comes from the date (or position), not from 编号
    type: str  # as written ("" when absent)
    style: Optional[str]  # the news style its type is written in; None for an unknown type
    canonical_type: Optional[str]  # 会议 for “meeting”, “会议”, “大会”
    date: Optional[datetime.date]
    name: str

    def describe(self) -> str:
        """2024-01（会议，2024年3月28日，2024年全区统一战线工作会议）"""
        parts = [self.type or "未写类型"]
        if self.date:
            parts.append(zh_date(self.date))
        if self.name:
            parts.append(self.name)
        return f"{self.id}（{'，'.join(parts)}）"


@dataclass
class Catalog:
    """What choosing needs to know: key names of the event schema and the type table."""

    section: Field  # the event field: its label and aliases name the sheet's list (活动, events)
    types: Dict[str, Tuple[str, str]]  # any accepted type word (casefolded) → (style, canonical type)
    primaries: Dict[str, str]  # style → its umbrella type (活动 for activity): chooses the whole style

    def resolve(self, word: str) -> Optional[Tuple[str, str]]:
        return self.types.get(word.strip().casefold())

    def type_words(self) -> str:
        canonical = dict.fromkeys(canon for _, canon in self.types.values())
        return "、".join(canonical)


@dataclass
class Choice:
    event: Event
    notes: List[str] = field(default_factory=list)


def load_catalog(roots: Sequence[Path]) -> Catalog:
    """The event schema and type table of the news kind; ./templates/ copies win, as packs do."""
    schema = load_schema([_find(roots, EVENT_SCHEMA)])
    if EVENT_FIELD not in (schema.root.fields or {}):
        raise DrafterError(Problem(f"活动字段定义文件里应有字段“{EVENT_FIELD}”", schema.files[-1]))
    table = load_yaml(_find(roots, TYPES_FILE), "活动类型表")
    types: Dict[str, Tuple[str, str]] = {}
    primaries: Dict[str, str] = {}
    problems = []
    for style, words in table.data.items():
        if not isinstance(words, dict) or not words:
            line, column = table.positions.get((style,), (None, None))
            problems.append(Problem("应写成“类型: [同义写法, …]”", table.path, line, column, style))
            continue
        primaries[style] = next(iter(words))
        types[style.casefold()] = (style, primaries[style])
        for canonical, synonyms in words.items():
            if isinstance(synonyms, str):
                synonyms = [synonyms]
            if not isinstance(synonyms or [], list):
                line, column = table.positions.get((style, canonical), (None, None))
                problems.append(Problem("同义写法应是一个词或词的列表", table.path, line, column, f"{style}.{canonical}"))
                continue
            for word in [canonical] + list(synonyms or []):
                types[str(word).casefold()] = (style, canonical)
    if problems:
        raise DrafterError(problems)
    return Catalog(schema.root.fields[EVENT_FIELD], types, primaries)


def _find(roots: Sequence[Path], name: str) -> Path:
    for root in reversed(roots):
        path = root / KIND / name
        if path.is_file():
            return path
    raise DrafterError(f"找不到新闻稿的{name}（应在 templates/{KIND}/ 下）")


def list_events(sheet: FactSheet, catalog: Catalog) -> List[Event]:
    """Every event of the sheet, with its id (given or derived), in the sheet's order."""
    key, items = _section(sheet, catalog)
    if key is None:
        return []
    spec = catalog.section
    events, problems = [], []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        values = {spec.keys.get(k): v for k, v in item.items() if spec.keys.get(k)}
        date = _date(values.get("date"))
        kind = _text(values.get("type"))
        resolved = catalog.resolve(kind) if kind else None
        events.append(Event(
            path=(key, index),
            id=_text(values.get("id")),
            derived=not _text(values.get("id")),
            type=kind,
            style=resolved[0] if resolved else None,
            canonical_type=resolved[1] if resolved else None,
            date=date,
            name=_text(values.get("name")),
        ))
    given: Dict[str, Event] = {}
    for event in events:
        if event.derived:
            continue
        if event.id in given:
            line = sheet.positions.get(given[event.id].path, (None,))[0]
            where = event.path + (_typed_key(sheet, event, catalog, "id"),)
            problems.append(_problem(sheet, where, f"编号“{event.id}”与第 {line} 行的活动重复，编号不能相同"))
        given.setdefault(event.id, event)
    if problems:
        raise DrafterError(problems)
    taken = set(given)
    suffixes: Dict[str, int] = {}  # a date's next suffix to try: many events of one day stay linear
    for event in events:
        if event.derived:
            base = event.date.isoformat() if event.date else f"活动{event.path[1] + 1}"
            event.id, suffix = base, suffixes.get(base, 2)
            while event.id in taken:
                event.id, suffix = f"{base}-{suffix}", suffix + 1
            taken.add(event.id)
            suffixes[base] = suffix
    return events


def choose(sheet: FactSheet, wanted: str, catalog: Catalog) -> Choice:
    """The event ``--event`` names: an id first, else the latest event of that type.

    Raises DrafterError listing the sheet's events when nothing matches.
    """
    events = list_events(sheet, catalog)
    wanted = wanted.strip()
    for event in events:
        if event.id == wanted:
            return Choice(event, [f"使用活动 {event.describe()}"])
    resolved = catalog.resolve(wanted)
    if resolved is not None:
        style, canonical = resolved
        whole_style = canonical == catalog.primaries.get(style)
        matches = [e for e in events
                   if (e.style == style if whole_style else e.canonical_type == canonical)]
        if matches:
            latest = max(enumerate(matches), key=lambda pair: (pair[1].date or datetime.date.min, pair[0]))[1]
            notes = [f"使用活动 {latest.describe()}"]
            others = [e for e in matches if e is not latest]
            if others:
                notes[0] = f"类型“{wanted}”有 {len(matches)} 项活动，取日期最近的一项：{latest.describe()}"
                notes.append("其余：" + _some(others, "；")
                             + f"。要写其中一项，请用 --event 编号，例如 --event {others[0].id}")
            return Choice(latest, notes)
    raise DrafterError(no_match(sheet, catalog, events, f"事实表里没有编号或类型为“{wanted}”的活动"))


def no_match(sheet: FactSheet, catalog: Catalog, events: Optional[List[Event]] = None,
             opening: str = "请用 --event 指定要写哪一项活动", feature_hint: bool = True) -> Problem:
    """A message that lists the sheet's events and says how to choose one (or how to add one);
    ``feature_hint`` points news writers at the year's 工作综述 (other kinds have no such style)."""
    if events is None:
        events = list_events(sheet, catalog)
    if not events:
        return Problem(f"{opening}。事实表里还没有活动：请在“{catalog.section.label}:”下逐项写明"
                       f"类型、名称、日期等（字段见 templates/{KIND}/{EVENT_SCHEMA}）"
                       + ("，或用 --style feature 写年度工作综述" if feature_hint else ""), sheet.path)
    listing = _some(events, "\n  ")
    return Problem(f"{opening}。本表的活动：\n  {listing}\n"
                   f"用 --event 编号，或 --event 类型（{catalog.type_words()}）选择"
                   + ("；年度工作综述用 --style feature" if feature_hint else ""), sheet.path)


def _some(events: List[Event], separator: str) -> str:
    """The first SHOWN events described, then how many there are in all."""
    shown = separator.join(e.describe() for e in events[:SHOWN])
    return shown if len(events) <= SHOWN else f"{shown}{separator}……等共 {len(events)} 项"


def unknown_type(sheet: FactSheet, event: Event, catalog: Catalog) -> Problem:
    type_key = _typed_key(sheet, event, catalog, "type")
    where = event.path + (type_key,) if type_key else event.path
    if event.type:
        message = f"活动类型“{event.type}”没有对应的新闻稿样式；可写：{catalog.type_words()}（或用 --style 指定样式）"
    else:
        message = (f"缺少必填字段“{catalog.section.fields['type'].label}”{sheet.blank_note(where)}，"
                   "无法确定用哪种新闻稿样式")
    return _problem(sheet, where, message)


def _section(sheet: FactSheet, catalog: Catalog) -> Tuple[Optional[str], List[Any]]:
    spec = catalog.section
    names = {spec.name, spec.label, *spec.aliases}
    key = next((k for k in sheet.data if k in names), None)
    if key is None or sheet.data[key] is None:
        return None, []
    items = sheet.data[key]
    if not isinstance(items, list):
        raise DrafterError(_problem(sheet, (key,), "应是列表：每项活动以“- ”开头", at_key=True))
    return key, items


def _typed_key(sheet: FactSheet, event: Event, catalog: Catalog, name: str) -> Optional[str]:
    item = sheet.data[event.path[0]][event.path[1]]
    return next((k for k in item if catalog.section.keys.get(k) == name), None)


def _problem(sheet: FactSheet, path: PathTuple, message: str, at_key: bool = False) -> Problem:
    line, column = sheet.where(path, at_key)
    return Problem(message, sheet.path, line, column, format_path(path))


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value).strip()


def _date(value: Any) -> Optional[datetime.date]:
    try:
        date = parse_date(value)
    except ValueError:
        return None  # validating the chosen event reports it
    return date if isinstance(date, datetime.date) else None
