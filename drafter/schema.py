"""Schemas: our small YAML format for the facts a document kind needs, compiled for Cerberus.

Template authors write ``label``, ``aliases``, ``one_or_more``… beside Cerberus rule names; here the
schema files are merged (a kind's base, shared parts, a style's own fields), checked with every
problem reported at the author's file and line, and compiled once to a Field tree (for renaming
and messages) and a Cerberus validator (for checking). Checking a sheet against it is validate.py's.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import cerberus
import yaml
from cerberus import errors as codes

from . import cache
from .errors import DrafterError, Problem, by_position, did_you_mean
from .fact_values import COERCIONS, PYTHON_TYPES, TYPE_NAMES
from .facts import FactSheet, PathTuple, format_path, load_yaml
from .textfile import read_bytes

#: Keys of a field spec that are ours (documentation, renaming, checks Cerberus cannot make) and never
#: reach Cerberus: ``message`` is what staff are told when the value breaks min, max or regex (or is
#: not of the type at all); ``not_before`` names a sibling field this one must not be less than
#: (结束日期 and its 日期); ``phrase`` makes a string field a phrase of the template's framing: the
#: words printed when the sheet does not write its own (or 不写 to leave it out); ``off: true`` lets the
#: sheet write 不写 for a field whose default is a fact (署名: the unit's name), tested with ``is off``.
_OWN_KEYS = ("label", "aliases", "example", "description", "one_or_more", "message", "not_before", "phrase", "off")

# Chinese for the types Cerberus demands of rule values, as schema authors write them.
_RULE_VALUE_TYPES = {"integer": "整数", "boolean": "true 或 false", "string": "文字", "list": "列表", "dict": "映射"}
_CERBERUS_TYPE = re.compile(r"must be of (\w+) type")
_CANONICAL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_Validator = cerberus.Validator
_RULES = frozenset(_Validator.rules)


class _KeepErrors(codes.BaseErrorHandler):
    """Hand back Cerberus's error objects as they are: we translate them ourselves."""

    def __call__(self, errors: Iterable[codes.ValidationError]) -> List[codes.ValidationError]:
        return list(errors)


@dataclass
class Field:
    """One declared fact: our names for renaming and messages, Cerberus rules for checking."""

    name: str  # canonical key; "" for a list's item spec
    label: str
    aliases: Tuple[str, ...]
    rules: Dict[str, Any]  # Cerberus rules of this field, with the nested ``schema`` compiled
    one_or_more: bool = False
    fields: Optional[Dict[str, Field]] = None  # declared sub-fields of a dict
    item: Optional[Field] = None  # spec of a list's items
    keys: Dict[str, str] = field(default_factory=dict)  # accepted key of a sub-field → its name
    example: Any = None  # for `drafter templates show`
    description: Optional[str] = None  # what the field is for, and where it prints: for `drafter templates show`
    message: Optional[str] = None  # said when the value breaks min, max, regex or its type
    not_before: Optional[str] = None  # name of the sibling this field must not be less than
    phrase: Optional[str] = None  # a phrase's default words (render.phrase): the template's own framing
    off: bool = False  # the sheet may write 不写 (the template asks ``is off``)

    @property
    def switchable(self) -> bool:
        """Whether the sheet may switch this field off with 不写."""
        return self.phrase is not None or self.off

    @property
    def required(self) -> bool:
        return self.rules.get("required") is True


@dataclass
class Schema:
    """A compiled schema; ``files`` are the schema files it was merged from."""

    files: Tuple[str, ...]
    root: Field
    validator: cerberus.Validator
    key: str = ""  # digest of the files' content: what is derived from this schema is cached under it


def iter_fields(fields: Dict[str, Field], path: Tuple[str, ...] = (), typed: str = "") -> Iterator[
        Tuple[Tuple[str, ...], str, Field]]:
    """Every declared field, depth first: (canonical path, the path as staff type it, field); the
    fields of a list's items sit under "[]" (areas.[].heading, 工作领域[].排比标题)."""
    for name, spec in fields.items():
        here, label = path + (name,), f"{typed}.{spec.label}" if typed else spec.label
        yield here, label, spec
        if spec.fields:
            yield from iter_fields(spec.fields, here, label)
        elif spec.item is not None and spec.item.fields:
            yield from iter_fields(spec.item.fields, here + ("[]",), label + "[]")


# --------------------------------------------------------------------------- schema loading


#: A schema file, or a file and the top-level fields taken from it.
SchemaPart = Union[str, Path, Tuple[Union[str, Path], Sequence[str]]]
#: Each part as load_schema keys its compiled schema: (path, the names taken or None, mtime).
_Parts = Tuple[Tuple[str, Optional[Tuple[str, ...]], Optional[int]], ...]


def load_schema(paths: Sequence[SchemaPart]) -> Schema:
    """Load and merge schema files: later files add fields or override rules of earlier ones.

    A part may be ``(path, names)``: only those top-level fields of that file are taken, so one
    kind can share another kind's definitions (年度, 单位, 工作领域) without copying them.
    Compiled once per process while the files are unchanged (a batch drafts many sheets), and kept
    in drafter's cache across processes while their content is.
    """
    if not paths:
        raise DrafterError("没有指定字段定义文件")
    key = []
    for part in paths:
        path, names = part if isinstance(part, tuple) else (part, None)
        try:
            stamp = os.stat(path).st_mtime_ns
        except OSError:
            stamp = None  # load_yaml reports the missing file
        key.append((str(path), tuple(names) if names is not None else None, stamp))
    return _compile_schema(tuple(key))


@functools.lru_cache(maxsize=32)
def _compile_schema(parts: _Parts) -> Schema:
    contents = []
    for path, names, _ in parts:
        try:
            contents += [path, repr(names), read_bytes(path)]
        except DrafterError:
            contents = None  # load_yaml reports it
            break
    key = cache.digest([cerberus.__version__, yaml.__version__] + contents) if contents is not None else None
    files, root = cache.remember("schema", key, lambda: _compile(parts), lambda value: (
        isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], tuple) and isinstance(value[1], Field)))
    return Schema(files, root, _trusted_validator(root), key or "")


def _compile(parts: _Parts) -> Tuple[Tuple[str, ...], Field]:
    """The merged schema files compiled to our Field tree, which Cerberus must accept."""
    merged: Dict[str, Any] = {}
    origins: Dict[PathTuple, Tuple[str, int, int]] = {}
    files = []
    for path, names, _ in parts:
        sheet = load_yaml(Path(path), "字段定义文件")
        files.append(sheet.path)
        merged = _merge_fields(merged, _only(sheet, names))
        for key_path, (line, column) in sheet.key_positions.items():
            origins[key_path] = (sheet.path, line, column)
    compiler = _Compiler(origins, files[-1])
    fields, keys = compiler.mapping(merged, ())
    root = Field("", "", (), {"type": "dict"}, fields=fields, keys=keys)
    if not compiler.problems:
        try:
            _Validator(_cerberus_schema(root))
        except cerberus.SchemaError as error:
            for spec in fields.values():
                compiler.check_rules(spec, (spec.name,))
            if not compiler.problems:
                compiler.problems.append(Problem(f"字段定义有误（{error}）", files[-1]))
    if compiler.problems:
        raise DrafterError(by_position(compiler.problems))
    return tuple(files), root


def _cerberus_schema(root: Field) -> Dict[str, Any]:
    return {name: spec.rules for name, spec in (root.fields or {}).items()}


def _trusted_validator(root: Field) -> cerberus.Validator:
    """A validator for a schema Cerberus accepted when its cache entry was made.

    Cerberus checks every schema against its own meta-schema once per process (~14 ms for a pack)
    and remembers the ones it accepted in ``Validator._valid_schemas``; telling it this one is among
    them skips the re-check. Should a Cerberus release drop that set, it simply checks again.
    """
    rules = _cerberus_schema(root)
    try:
        from cerberus.schema import DefinitionSchema
        from cerberus.utils import mapping_hash

        expanded, types = DefinitionSchema.expand(rules), mapping_hash(_Validator.types_mapping)
        # the whole schema, and each field alone (normalising re-checks the fields one by one)
        accepted = [expanded] + [{name: field_rules} for name, field_rules in expanded.items()]
        _Validator._valid_schemas.update((mapping_hash(schema), types) for schema in accepted)
    except Exception:  # pragma: no cover - a Cerberus without the set: it checks the schema itself
        pass
    return _Validator(rules, error_handler=_KeepErrors)


def _only(sheet: FactSheet, names: Optional[Sequence[str]]) -> Any:
    if names is None:
        return sheet.data
    absent = [n for n in names if not (isinstance(sheet.data, dict) and n in sheet.data)]
    if absent:
        raise DrafterError(Problem(f"没有要取用的字段：{'、'.join(absent)}", sheet.path))
    return {n: sheet.data[n] for n in names}


def _merge_fields(base: Any, over: Any) -> Any:
    """Field name → spec mappings: fields of ``over`` are added or merged into ``base``."""
    if not (isinstance(base, dict) and isinstance(over, dict)):
        return over
    merged = dict(base)
    for name, spec in over.items():
        merged[name] = _merge_spec(base[name], spec) if name in base else spec
    return merged


def _merge_spec(base: Any, over: Any) -> Any:
    """Rules of ``over`` replace those of ``base``; a spec that changes its type replaces it whole."""
    if not (isinstance(base, dict) and isinstance(over, dict)):
        return over
    if over.get("type", base.get("type")) != base.get("type"):
        return over
    merged = dict(base)
    for rule, value in over.items():
        if rule == "schema" and rule in base:
            merge = _merge_spec if base.get("type") == "list" else _merge_fields
            merged[rule] = merge(base[rule], value)
        else:
            merged[rule] = value
    return merged


class _Compiler:
    """Checks our schema format and builds Fields, reporting each problem at its schema line."""

    def __init__(self, origins: Dict[PathTuple, Tuple[str, int, int]], last_file: str):
        self.origins = origins
        self.last_file = last_file
        self.problems: List[Problem] = []

    def problem(self, path: PathTuple, message: str) -> None:
        where = path
        while where and where not in self.origins:
            where = where[:-1]  # e.g. a rule we added ourselves: point at its field
        file, line, column = self.origins.get(where, (self.last_file, None, None))
        self.problems.append(Problem(message, file, line, column, format_path(path)))

    def mapping(self, specs: Any, path: PathTuple) -> Tuple[Dict[str, Field], Dict[str, str]]:
        fields: Dict[str, Field] = {}
        keys: Dict[str, str] = {}
        if not isinstance(specs, dict):
            self.problem(path, "应是“字段名: 字段定义”形式的映射")
            return fields, keys
        for name, spec in specs.items():
            field_path = path + (name,)
            if not _CANONICAL_NAME.match(name):
                self.problem(
                    field_path,
                    f"字段名“{name}”应是英文标识符（字母开头，只含字母、数字、下划线）；中文名请写在 label 里",
                )
            compiled = self.field(name, spec, field_path, default_label=None)
            if compiled is None:
                continue
            fields[name] = compiled
            for key in (name, compiled.label) + compiled.aliases:
                owner = keys.setdefault(key, name)
                if owner != name:
                    self.problem(field_path, f"“{key}”已是字段“{owner}”的名称或别名，不能重复使用")
        for name, compiled in fields.items():
            if compiled.not_before is None:
                continue
            start = fields.get(compiled.not_before)
            if start is None or start is compiled or start.rules.get("type") != compiled.rules.get("type"):
                self.problem(path + (name, "not_before"),
                             f"not_before 应是同级另一个同类型字段的英文名，“{compiled.not_before}”不是")
        return fields, keys

    def field(self, name: str, spec: Any, path: PathTuple, default_label: Optional[str]) -> Optional[Field]:
        """``default_label`` is given for a list's item spec, the only place a label is optional."""
        if not isinstance(spec, dict):
            self.problem(path, "字段定义应是映射（写出 label、type 等）")
            return None
        label = spec.get("label", default_label)
        if not isinstance(label, str) or not label.strip():
            self.problem(path, "缺少 label（字段的中文名）" if label is None else "label 应是非空的文字")
            label = name
        aliases = spec.get("aliases", [])
        if not (isinstance(aliases, list) and all(isinstance(a, str) and a for a in aliases)):
            self.problem(path + ("aliases",), "aliases 应是文字列表，例如 [年份, 年]")
            aliases = []
        one_or_more = spec.get("one_or_more", False)
        kind = spec.get("type")
        if kind is not None and kind not in TYPE_NAMES:
            self.problem(path + ("type",), f"未知类型“{kind}”，可用类型：{'、'.join(TYPE_NAMES)}")
        if one_or_more not in (True, False):
            self.problem(path + ("one_or_more",), "one_or_more 应为 true 或 false")
        elif one_or_more and kind != "list":
            self.problem(path + ("one_or_more",), "one_or_more 只能用于 list 类型")
        message, not_before = spec.get("message"), spec.get("not_before")
        if message is not None and not (isinstance(message, str) and message.strip()):
            self.problem(path + ("message",), "message 应是非空的文字：值不合要求时告诉填写人的话")
            message = None
        if not_before is not None and not (isinstance(not_before, str) and kind in PYTHON_TYPES):
            self.problem(path + ("not_before",), "not_before 应是同级一个字段的英文名，只能用于 date 或 integer 类型")
            not_before = None
        off = spec.get("off", False)
        if off not in (True, False) or off and kind != "string":
            self.problem(path + ("off",), "off 应为 true 或 false，只能用于 string 类型的字段")
            off = False
        phrase = spec.get("phrase")
        if phrase is not None:
            from .zh import invented_number

            if not isinstance(phrase, str) or kind != "string":
                self.problem(path + ("phrase",), "phrase（措辞的缺省说法）应是文字，只能用于 string 类型的字段")
                phrase = None
            elif invented_number(phrase):
                self.problem(path + ("phrase",), f"措辞的缺省说法里有数字“{invented_number(phrase)}”：数字只能来自事实表"
                                                 "（要说有几部分，写 []{.部分数}）")
                phrase = None

        rules: Dict[str, Any] = {}
        for rule, value in spec.items():
            if rule in _OWN_KEYS or rule == "schema":
                continue
            if rule not in _RULES:
                hint = did_you_mean(rule, sorted(_RULES) + list(_OWN_KEYS))
                self.problem(path + (rule,), f"未知规则“{rule}”{hint}")
                continue
            rules[rule] = value
        self._check_values(rules, kind, path)

        description = spec.get("description")
        compiled = Field(name, label, tuple(aliases), rules, one_or_more is True, example=spec.get("example"),
                         description=description if isinstance(description, str) else None,
                         message=message, not_before=not_before, phrase=phrase, off=off is True)
        if "schema" in spec:
            inner = spec["schema"]
            if kind == "dict":
                compiled.fields, compiled.keys = self.mapping(inner, path + ("schema",))
                rules["schema"] = {n: f.rules for n, f in compiled.fields.items()}
            elif kind == "list":
                compiled.item = self.field("", inner, path + ("schema",), default_label=label)
                if compiled.item is not None:
                    rules["schema"] = compiled.item.rules
            else:
                self.problem(path + ("schema",), "只有 dict 和 list 类型可以写 schema")
        if kind in ("integer", "boolean", "date") and "coerce" not in rules:
            rules["coerce"] = COERCIONS[kind]
        if kind == "string" and not compiled.switchable and "empty" not in rules:
            rules["empty"] = False  # "" is no fact: an optional one is left out by deleting its line; a phrase, by “不写” or ""
        return compiled

    def _check_values(self, rules: Dict[str, Any], kind: Any, path: PathTuple) -> None:
        """Rule values Cerberus accepts but would trip over (or silently ignore) while validating."""
        for rule in ("default", "default_setter"):
            if rule in rules:
                self.problem(path + (rule,), f"字段定义不能写 {rule}：事实只能来自事实表，没写的可选事实在文稿里"
                                             "显示为【待补】，不由模板补上")
        if isinstance(rules.get("regex"), str):
            try:
                re.compile(rules["regex"])
            except re.error as error:
                self.problem(path + ("regex",), f"正则表达式写错了（{error}）")
        expected = PYTHON_TYPES.get(kind)
        for rule in ("min", "max"):
            value = rules.get(rule)
            if expected and rule in rules and (not isinstance(value, expected) or isinstance(value, bool)):
                self.problem(path + (rule,), f"{rule} 应是{TYPE_NAMES[kind]}，实际是“{value}”")

    def check_rules(self, spec: Field, path: PathTuple) -> None:
        """Find which field's rules Cerberus rejected, to report it at the right line."""
        own = {rule: value for rule, value in spec.rules.items() if rule != "schema"}
        try:
            _Validator({"field": own})
        except cerberus.SchemaError as error:
            details = error.args[0].get("field", []) if isinstance(error.args[0], dict) else [error]
            for detail in details:
                if isinstance(detail, dict):
                    for rule, messages in detail.items():
                        english = _english(messages)
                        wanted = _CERBERUS_TYPE.match(english)
                        if wanted:
                            name = _RULE_VALUE_TYPES.get(wanted.group(1), wanted.group(1))
                            self.problem(path + (rule,), f"规则“{rule}”的值应是{name}（{english}）")
                        else:
                            self.problem(path + (rule,), f"规则“{rule}”的值不对（{english}）")
                else:
                    self.problem(path, f"字段定义有误（{detail}）")
        for sub in (spec.fields or {}).values():
            self.check_rules(sub, path + ("schema", sub.name))
        if spec.item is not None:
            self.check_rules(spec.item, path + ("schema",))


def _english(messages: Any) -> str:
    if isinstance(messages, list):
        return "; ".join(_english(m) for m in messages)
    return str(messages)
