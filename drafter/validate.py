"""Checking a fact sheet against a schema and normalising it for the templates.

Staff write Chinese keys, so we rename them to the canonical English keys ourselves and remember the
way back: every message names the field as the writer typed it and points at the line and column
where they typed it. The schema format and its compiling to Cerberus live in schema.py, the wording
of Cerberus's errors in validation_messages.py, reading dates, numbers and 是/否 in fact_values.py;
this module stays the one place the rest of drafter imports them from.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from .errors import DrafterError, Problem, by_position, did_you_mean
from .fact_values import (
    COERCIONS,
    PYTHON_TYPES,
    TYPE_NAMES,
    parse_date,
    show,
    with_year,
)
from .facts import FactSheet, PathTuple, format_path, value_at
from .provenance import PHRASE_OFF, Missing, attach
from .schema import Field, Schema, SchemaPart, iter_fields, load_schema
from .validation_messages import translate

__all__ = ["Field", "Missing", "Schema", "SchemaPart", "TYPE_NAMES", "iter_fields", "load_schema", "parse_date",
           "validate"]


def validate(
    sheet: FactSheet, schema: Schema, mounts: Optional[Dict[str, PathTuple]] = None
) -> Dict[str, Any]:
    """Check a sheet and return its facts under canonical keys, typed, with Missing for gaps, every
    value wrapped with the place it was written (provenance.py).

    ``mounts`` gives a top-level field its value from elsewhere in the sheet: {"event": ("活动", 1)}
    validates the second item of the 活动 list as the schema's ``event``. Every message and
    placeholder then names the value where it was written (活动[2].主持.姓名, at its line).
    Raises DrafterError with every problem found, sorted by line.
    """
    renamer = _Renamer(sheet, mounts or {})
    renamer.year = next((value for key, value in sheet.data.items() if schema.root.keys.get(key) == "year"), None) \
        if isinstance(sheet.data, dict) else None
    document = renamer.mapping(sheet.data, schema.root, (), (), top=True)
    problems = renamer.problems
    validator = schema.validator
    if not validator.validate(document):
        problems += translate(validator.errors, sheet, schema.root, renamer.origin)
    if problems:
        raise DrafterError(by_position(problems))
    facts = validator.document
    _fill_missing(facts, schema.root, (), renamer.origin)
    return attach(facts, sheet.path, renamer.origin, sheet.positions)


class _Renamer:
    """Renames the keys the writer typed (label, alias or canonical) and remembers the way back."""

    def __init__(self, sheet: FactSheet, mounts: Dict[str, PathTuple]):
        self.sheet = sheet
        self.mounts = mounts
        self.origin: Dict[PathTuple, PathTuple] = {(): ()}  # canonical path → path as typed
        self.problems: List[Problem] = []
        self.year: Any = None  # the sheet's 年度: the year of a date written as 3月28日

    def value(self, value: Any, spec: Field, typed: PathTuple, canonical: PathTuple) -> Any:
        self.origin[canonical] = typed
        if spec.rules.get("type") == "date":
            return with_year(value, self.year)
        if spec.one_or_more and isinstance(value, str):
            self.origin[canonical + (0,)] = typed
            return [value]
        if spec.fields is not None and isinstance(value, dict):
            return self.mapping(value, spec, typed, canonical)
        if spec.item is not None and isinstance(value, list):
            return [
                self.value(item, spec.item, typed + (index,), canonical + (index,))
                for index, item in enumerate(value)
            ]
        return value

    def mapping(
        self, value: Dict[str, Any], spec: Field, typed: PathTuple, canonical: PathTuple, top: bool = False
    ) -> Dict[str, Any]:
        """At the top level unknown keys are other document kinds' sections, so they are skipped."""
        result: Dict[str, Any] = {}
        written_as: Dict[str, str] = {}
        if top:
            for name, where in self.mounts.items():
                result[name] = self.value(value_at(self.sheet.data, where), spec.fields[name], where, (name,))
        for key, item in value.items():
            key_path = typed + (key,)
            name = spec.keys.get(key)
            if name is None or (top and name in self.mounts):
                if not top:
                    self._problem(key_path, self._unknown(key, spec))
                continue
            sub = spec.fields[name]
            if name in written_as:
                earlier = written_as[name]
                line = self.sheet.key_positions[typed + (earlier,)][0]
                self._problem(key_path, f"与第 {line} 行的“{earlier}”是同一字段“{sub.label}”，只能写一个")
                continue
            written_as[name] = key
            if item is None and not sub.required:
                continue  # an optional blank is simply not given
            if isinstance(item, str) and item.strip() == PHRASE_OFF and not sub.switchable:
                self._problem(key_path, f"“{sub.label}”不能写“{PHRASE_OFF}”：它不是措辞，不要它就整行删掉"
                              if not sub.required else f"“{sub.label}”是必填的，不能写“{PHRASE_OFF}”")
                continue
            result[name] = self.value(item, sub, key_path, canonical + (name,))
        for name in written_as:
            if spec.fields[name].not_before in written_as:
                self._check_order(result, spec, name, typed, written_as)
        return result

    def _check_order(self, result: Dict[str, Any], spec: Field, name: str, typed: PathTuple,
                     written_as: Dict[str, str]) -> None:
        """An end (结束日期) before its start (日期): each is a good date alone, so Cerberus cannot tell."""
        end = spec.fields[name]
        start = spec.fields[end.not_before]
        kind = end.rules["type"]
        try:
            last, first = COERCIONS[kind](result.get(end.name)), COERCIONS[kind](result.get(start.name))
        except ValueError:
            return  # not a date (or number) at all: Cerberus says so
        if isinstance(last, PYTHON_TYPES[kind]) and isinstance(first, PYTHON_TYPES[kind]) and last < first:
            end_key, start_key = written_as[end.name], written_as[start.name]
            line = self.sheet.where(typed + (start_key,), at_key=True)[0]
            self._problem(typed + (end_key,),
                          f"{end_key}（{show(last)}）早于{start_key}（{show(first)}，第 {line} 行）")

    @staticmethod
    def _unknown(key: str, spec: Field) -> str:
        hint = did_you_mean(key, spec.keys, cutoff=0.5) or "，"
        labels = "、".join(sub.label for sub in spec.fields.values())
        return f"未知字段“{key}”{hint}可用字段：{labels}"

    def _problem(self, key_path: PathTuple, message: str) -> None:
        line, column = self.sheet.where(key_path, at_key=True)
        self.problems.append(Problem(message, self.sheet.path, line, column, format_path(key_path)))


def _fill_missing(value: Any, spec: Field, canonical: PathTuple, origin: Dict[PathTuple, PathTuple]) -> None:
    """Give every absent optional field of every mapping present a Missing, for the templates."""
    if spec.fields is not None and isinstance(value, dict):
        for name, sub in spec.fields.items():
            if name in value:
                _fill_missing(value[name], sub, canonical + (name,), origin)
            elif not sub.required:
                path = format_path(origin[canonical] + (sub.label,))
                value[name] = Missing(sub.label, path, sub.fields, sub.phrase)
    elif spec.item is not None and isinstance(value, list):
        for index, item in enumerate(value):
            _fill_missing(item, spec.item, canonical + (index,), origin)
