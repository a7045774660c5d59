"""The `drafter templates` commands: list every pack with where it comes from, show what one
reads, copy one into ./templates/ to edit. Each pack is checked as it is listed, so a broken pack
is shown with its problem while the others still list."""
from __future__ import annotations

import datetime
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

from .errors import DrafterError, Problem
from .template_check import outline_problems
from .templates import (
    LAYOUTS,
    PACK_FILES,
    PACK_NAME,
    SCHEMA_FILE,
    Source,
    TemplatePack,
    dotted_path,
    find_pack,
    is_pack_folder,
    load_pack,
    schema_part_path,
    template_roots,
    template_sources,
)

if TYPE_CHECKING:
    from .validate import Field, Schema


def inspect_pack(pack: TemplatePack, roots: Sequence[Path]) -> Tuple[Optional[Schema], List[Problem]]:
    """Everything that can be wrong with a pack before any fact sheet is read: its schema, its
    layout, its ``unprinted`` list, its outline and fragments."""
    from .accounting import unprinted_fields
    from .layout import available_layouts, profile_file
    from .validate import load_schema

    problems: List[Problem] = []
    layouts = available_layouts([root / LAYOUTS for root in roots])
    file = profile_file(pack.layout, pack.folder)  # load_pack has refused one outside the pack's folder
    if file is None and pack.layout not in layouts:
        problems.append(Problem(f"找不到版式方案“{pack.layout}”（可用：{'、'.join(layouts)}）",
                                str(pack.folder / PACK_FILES[0])))
    elif file is not None and not file.is_file():
        problems.append(Problem(f"本样式文件夹里没有版式方案文件“{pack.layout}”", str(pack.folder / PACK_FILES[0])))
    try:
        schema = load_schema(pack.schema_files)
    except DrafterError as error:
        return None, problems + error.problems
    try:
        unprinted_fields(pack, schema)  # each names a field of the schema
    except DrafterError as error:
        problems += error.problems
    return schema, problems + outline_problems(pack, schema)


@dataclass
class PackEntry:
    """One style as `drafter templates` lists it: the winning pack of its kind and style."""

    kind: str
    style: str
    folder: Path
    origin: str
    overrides: List[str] = field(default_factory=list)  # origins of the packs it hides
    pack: Optional[TemplatePack] = None
    schema: Optional[Schema] = None
    problems: List[Problem] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.pack.title if self.pack else ""


def list_packs(extra: Sequence[Path] = ()) -> Tuple[List[PackEntry], List[Source]]:
    """Every style, each checked; broken ones carry their problems. Also the unusable roots."""
    sources = template_sources(extra)
    roots = [s.path for s in sources if s.problem is None]
    entries = _entries(sources)
    for entry in entries:
        _inspect(entry, roots)
    return entries, [s for s in sources if s.problem is not None]


def _entries(sources: Sequence[Source]) -> List[PackEntry]:
    """The winning pack of every kind and style, in listing order, not yet loaded."""
    entries: Dict[Tuple[str, str], PackEntry] = {}
    for source in (s for s in sources if s.problem is None):
        for kind_folder in _subfolders(source.path):
            if kind_folder.name == LAYOUTS:
                continue
            for folder in _subfolders(kind_folder):
                if not is_pack_folder(folder):
                    continue
                key = (kind_folder.name, folder.name)
                hidden = entries.get(key)
                entries[key] = PackEntry(key[0], key[1], folder, source.origin,
                                         (hidden.overrides + [hidden.origin]) if hidden else [])
    order = {kind: index for index, kind in enumerate(("speech", "news", "report"))}
    return sorted(entries.values(), key=lambda e: (order.get(e.kind, len(order)), e.kind, e.style))


def _inspect(entry: PackEntry, roots: Sequence[Path]) -> None:
    try:
        entry.pack = load_pack(entry.kind, entry.style, entry.folder, roots)
        entry.schema, entry.problems = inspect_pack(entry.pack, roots)
    except DrafterError as error:
        entry.problems = error.problems


def _subfolders(folder: Path) -> List[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    except OSError:
        return []


def format_listing(entries: Sequence[PackEntry], broken_sources: Sequence[Source]) -> str:
    rows = [("文种", "样式", "中文名", "来源")]
    for entry in entries:
        origin = entry.origin + (f"（覆盖{'、'.join(entry.overrides)}）" if entry.overrides else "")
        title = entry.title if not entry.problems else f"{entry.title or entry.style}（有错，见下）"
        rows.append((entry.kind, entry.style, title, origin))
    lines = table(rows)
    for entry in entries:
        if entry.problems:
            lines.append("")
            lines.append(f"{entry.kind}/{entry.style}（{entry.folder}）有错，不能使用：")
            lines += [f"  {problem}" for problem in entry.problems]
    for source in broken_sources:
        lines.append("")
        lines.append(source.complaint)
    return "\n".join(lines)


def describe_pack(spec: str, extra: Sequence[Path] = (), everything: bool = False) -> str:
    """`drafter templates show KIND/STYLE`: what the style is and which facts it reads."""
    from . import events
    from .form_scheme import describe as describe_form
    from .validate import iter_fields

    kind, style = split_spec(spec)
    sources = template_sources(extra)
    roots = [s.path for s in sources if s.problem is None]
    entry = next((e for e in _entries(sources) if (e.kind, e.style) == (kind, style)), None)
    if entry is None:
        find_pack(kind, style, roots)  # raises, naming the styles there are
        raise DrafterError(f"找不到模板样式 {spec}")
    _inspect(entry, roots)
    if entry.problems:
        raise DrafterError([Problem(f"模板样式 {spec}（{entry.folder}）有错，不能使用：")] + entry.problems)
    pack, schema = entry.pack, entry.schema
    takes_event = events.takes_event(schema)
    lines = [f"{kind}/{style}：{pack.title}",
             f"来源：{entry.origin}（{entry.folder}）" + (f"，覆盖{'、'.join(entry.overrides)}" if entry.overrides else "")]
    if pack.description:
        lines.append(f"说明：{pack.description}")
    lines.append(f"版式：{pack.layout}；输出文件：事实表名-{pack.output}.docx")
    lines.append(f"用法：drafter {kind} 事实表.yaml --style {style}" + (" --event 编号或类型" if takes_event else ""))
    lines.append("")
    reads = pack.reads.paths if pack.reads else set()
    rows = [("事实表中的写法", "规范名", "类型", "必填", "示例")]
    hidden = 0
    required = _required_paths(schema)
    for path, labels, spec_field in iter_fields(schema.root.fields or {}):
        if not everything and path not in required and not any(read[:len(path)] == path for read in reads):
            hidden += 1
            continue
        container = spec_field.fields or (spec_field.item is not None and spec_field.item.fields)
        rows.append((labels, dotted_path(path), _type_name(spec_field), "必填" if spec_field.required else "可选",
                     "" if container else _choices(spec_field) or _show_example(spec_field.example)))  # a container's fields have their own
    lines.append("读取的事实：" if not everything else "字段定义中的全部事实：")
    lines += ["  " + line for line in table(rows)]
    if takes_event:
        lines.append("  （“活动”是事实表“活动”列表中用 --event 选中的那一项）")
    if hidden:
        lines.append(f"（字段定义里另有 {hidden} 项本样式的模板没有用到；--all 全部列出）")
    phrases = [(labels, spec_field.phrase if spec_field.phrase is not None else "（缺省是事实表里的事实）",
                _brief(spec_field.description))
               for path, labels, spec_field in iter_fields(schema.root.fields or {})
               if spec_field.switchable and (everything or any(read[:len(path)] == path for read in reads))]
    if phrases:
        lines.append("措辞（模板自己的话；事实表在这里写自己的说法就照印，写“不写”就不印）：")
        lines += ["  " + line for line in table([("事实表中的写法", "缺省说法", "用在哪里")] + phrases)]
    lines.append("字段定义：" + "、".join(str(schema_part_path(p)) for p in pack.schema_files))
    lines.append("")
    rows: List[Tuple[str, str]] = []
    for line in describe_form(pack) + [""]:
        if isinstance(line, tuple):
            rows.append(line)
            continue
        if rows:
            lines += ["  " + row for row in table(rows)]
            rows = []
        if line:
            lines.append(line)
    return "\n".join(lines)


def _required_paths(schema: Schema) -> set:
    """Paths of the fields a sheet must have for this style, read by its template or not: a
    listing that hid them would leave staff to learn them from a refusal."""
    from .validate import iter_fields

    required = {path for path, _, spec in iter_fields(schema.root.fields or {}) if spec.required}
    # one inside an optional field (主持.姓名) is required only when that field is written
    return {path for path in required if all(path[:n] in required for n in range(1, len(path)))}


def _choices(spec: Field) -> str:
    """可选：主动／被动 — the values a field allows, for one whose value is a choice, not a fact."""
    allowed = spec.rules.get("allowed")
    return "可选：" + "／".join(map(str, allowed)) if isinstance(allowed, (list, tuple)) else ""


def _brief(text: Optional[str], limit: int = 30) -> str:
    text = (text or "").split("；")[0]
    return text if len(text) <= limit else text[:limit] + "……"


def _type_name(spec: Field) -> str:
    from .validate import TYPE_NAMES

    kind = spec.rules.get("type")
    name = TYPE_NAMES.get(kind, "") if isinstance(kind, str) else ""
    return name.split("（")[0] + ("（可写一项）" if spec.one_or_more else "")


def _show_example(value: Any, limit: int = 24) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {_show_example(v, limit)}" for k, v in value.items()) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(_show_example(v, limit) for v in value) + "]"
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def split_spec(spec: str) -> Tuple[str, str]:
    """speech/host → (speech, host)."""
    parts = spec.replace("\\", "/").strip("/").split("/")
    if len(parts) != 2 or not all(PACK_NAME.match(p) for p in parts):
        raise DrafterError(f"“{spec}”应写成 文种/样式，例如 speech/report")
    return parts[0], parts[1]


def new_pack(spec: str, source: Optional[str] = None, extra: Sequence[Path] = ()) -> Tuple[Path, List[str]]:
    """`drafter templates new KIND/NAME [--from KIND/STYLE]`: a pack in ./templates/ to edit.

    With --from, that pack's files are copied; without, a small working skeleton is written.
    Shared pieces (the kind's schema.yaml, fragments, news/event.yaml) stay where they are:
    discovery finds them for the new pack, and the built-in ones keep improving with drafter.
    """
    kind, name = split_spec(spec)
    if kind == LAYOUTS:
        raise DrafterError("layouts 是版式方案的文件夹，不是文种；版式方案的写法见 docs/layouts.md")
    roots = template_roots(extra)
    kinds = sorted({f.name for r in roots for f in _subfolders(r) if f.name != LAYOUTS})
    if kind not in kinds:
        raise DrafterError(f"没有“{kind}”这个文种（可用：{'、'.join(kinds)}）")
    target = Path("templates") / kind / name
    if target.exists():
        raise DrafterError(Problem("已经存在，不会覆盖；请换一个名字，或先删掉它", str(target)))
    if source:
        from_kind, from_style = split_spec(source)
        if from_kind != kind:
            raise DrafterError(f"--from 应是同一文种的样式（{kind}/…），不能从 {source} 复制")
        original = find_pack(from_kind, from_style, roots)
        origin = next((s.origin for s in reversed(template_sources(extra)) if s.problem is None
                       and is_pack_folder(s.path / from_kind / from_style)), "")
        shutil.copytree(original.folder, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
        _rename(target / PACK_FILES[0], name)
        done = f"已建立 {target}{os.sep}（复制自 {origin} {source}）"
    else:
        target.mkdir(parents=True)
        for file, text in _skeleton(kind, name, roots).items():
            (target / file).write_text(text, encoding="utf-8")
        done = f"已建立 {target}{os.sep}（新样式的骨架）"
    takes_event = False
    try:
        from .events import takes_event as writes_event
        from .validate import load_schema

        pack = load_pack(kind, name, target, template_roots(extra))
        takes_event = writes_event(load_schema(pack.schema_files))
    except DrafterError:
        pass  # `drafter templates` and the first draft will say what is wrong
    lines = [done,
             f"  {target / 'template.yaml'}   中文名（title）、说明、版式、输出文件名",
             f"  {target / SCHEMA_FILE}     本样式另外读取的字段",
             f"  {target / 'outline.md.j2'}   提纲（写法见 docs/authoring.md）",
             f"查看：drafter templates show {kind}/{name}",
             f"试写：drafter {kind} --style {name}" + (" --event 编号或类型" if takes_event else "") + " --format txt"]
    shadowed = [r for r in roots if is_pack_folder(r / kind / name) and r.resolve() != Path("templates").resolve()]
    if shadowed:  # a project pack named like a built-in one replaces it for every draft made here
        lines.append(f"注意：与已有的样式 {kind}/{name} 同名：在本项目里写 {kind} 的这个样式（包括它是默认样式时）"
                     "都将改用这个新样式")
    return target, lines


def _rename(meta: Path, name: str) -> None:
    """The copy's template.yaml says its own name; comments and everything else stay as they were."""
    try:
        text = meta.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return  # not UTF-8: the folder name is what counts anyway
    if re.search(r"^name:", text, re.M):
        text = re.sub(r"^name:[^#\n]*?(\s*#.*)?$", lambda m: f"name: {name}{m.group(1) or ''}", text,
                      count=1, flags=re.M)
    else:
        text = f"name: {name}\n" + text
    meta.write_text(text, encoding="utf-8")


def _skeleton(kind: str, name: str, roots: Sequence[Path]) -> Dict[str, str]:
    """A pack that works as it is: the unit's name and the year as its title, a paragraph to replace.
    It takes only 年度 and 单位 from the kind's base schema (or the speech's, for a kind without one),
    so that a first draft is not told about every other fact of the sheet it does not print."""
    from .facts import load_yaml

    found = next(((f"{k}/{SCHEMA_FILE}", root / k / SCHEMA_FILE) for k in (kind, "speech") for root in reversed(roots)
                  if (root / k / SCHEMA_FILE).is_file()), None)
    shared = ""
    if found is not None:
        base, path = found
        data = load_yaml(path, "字段定义文件").data
        fields = [f for f in ("year", "unit") if isinstance(data, dict) and f in data]
        if fields:
            shared = ("schemas:                   # 共用的字段定义：只取年度、单位（不写 fields 则读入全部基础字段）\n"
                      f"  - {{file: {base}, fields: [{', '.join(fields)}]}}\n")
    return {
        "template.yaml": (
            f"# {kind}/{name}：新的模板样式。写法见 docs/authoring.md。\n"
            f"name: {name}\n"
            f"kind: {kind}\n"
            f"title: {name}                # 中文名，drafter templates 列表中显示\n"
            "description: 请用一两句话说明这个样式用在什么场合、结构怎样\n"
            "layout: gbt9704            # 版式方案：gbt9704、windows、news，或项目 templates/layouts/ 里的方案\n"
            f"output: {name}               # 输出文件名：事实表名-{name}.docx\n" + shared),
        SCHEMA_FILE: (
            f"# {kind}/{name} 另外读取的字段（写法见 docs/authoring.md“字段定义”）。\n"
            "# 例：\n"
            "# closing:\n"
            "#   label: 结束语\n"
            "#   type: string\n"
            "#   example: 谢谢大家！\n"
            "{}\n"),
        "outline.md.j2": (
            f"{{#- {kind}/{name} 的提纲：标记写法见 docs/outline.md，可用的字段见 drafter templates show {kind}/{name} -#}}\n"
            "# {{ unit.full_name }}{{ year }}年……\n"
            "\n"
            "（在这里写正文。）\n"),
    }


def table(rows: Sequence[Sequence[str]]) -> List[str]:
    """Columns aligned for a terminal: Chinese characters are two cells wide."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
            for row in rows]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
