"""Template packs (templates/<kind>/<style>/): finding them, checking them, rendering their outline.

A pack is plain files a template author edits: template.yaml (names, layout, output name, and
``schemas`` it shares with other packs), schema.yaml (facts it needs beyond its kind's base schema)
and outline.md.j2 (the outline). Jinja fragments in the kind's folder (news/leaders.j2) serve all
of its styles through {% include %}.

Packs are looked up in several roots, later ones overriding earlier ones by kind and style (layouts
and shared files by name): the built-in templates/, packs that installed packages declare under the
``drafter.templates`` entry point, the project's ./templates/, the folders in $DRAFTER_TEMPLATES,
then those given with --templates.

Before anything renders, the outline and the fragments it includes are read statically: names and
fields the schema does not declare, Python internals and missing fragments are reported at their
template line. Rendering happens in Jinja's sandbox, so a pack from a colleague cannot read files or
run code.
"""
from __future__ import annotations

import datetime
import difflib
import functools
import importlib.util
import os
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Set, Tuple

from .errors import DrafterError, Problem

if TYPE_CHECKING:  # annotations only: templates.py imports no YAML, Jinja or Cerberus until it must
    from .facts import FactSheet
    from .validate import Field, Schema, SchemaPart

PACK_FILES = ("template.yaml", "outline.md.j2")
SCHEMA_FILE = "schema.yaml"
LAYOUTS = "layouts"
ENTRY_POINT_GROUP = "drafter.templates"
ENV_VAR = "DRAFTER_TEMPLATES"
BUILTIN, PROJECT, FROM_ENV, FROM_OPTION = "内置", "项目", ENV_VAR, "--templates"

#: template.yaml keys and what each holds (for messages about unknown keys).
META_KEYS = {
    "name": "样式名（与文件夹同名）", "kind": "文种", "title": "中文名", "description": "说明",
    "layout": "版式方案", "output": "输出文件名", "schemas": "共用的字段定义文件",
    "unprinted": "读取而有意不写进文稿的字段",
}
_NAME = re.compile(r"[^\W][\w.-]*\Z")  # a style or kind name: a folder name, no path separators


# --------------------------------------------------------------------------- where packs come from


@dataclass(frozen=True)
class Source:
    """A folder holding packs (``<kind>/<style>/``) and layouts, and where it was declared."""

    path: Path
    origin: str  # 内置, 项目, DRAFTER_TEMPLATES, --templates, or 包 <distribution>
    problem: Optional[str] = None  # why it cannot be used (a missing folder, an entry point that fails)


def builtin_templates() -> Path:
    """The shipped templates/: package data when installed, the checkout's folder otherwise."""
    spec = importlib.util.find_spec("drafter._templates")
    if spec and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(__file__).resolve().parent.parent / "templates"


def template_sources(extra: Sequence[Path] = ()) -> List[Source]:
    """Every root in order, lowest priority first; unusable ones carry their problem."""
    builtin = builtin_templates()
    sources = [Source(builtin, BUILTIN)]
    sources += _package_sources()
    project = Path("templates")
    if project.is_dir() and _resolved(project) != _resolved(builtin):  # not when working in drafter's checkout
        sources.append(Source(project, PROJECT))
    for entry in os.environ.get(ENV_VAR, "").split(os.pathsep):
        if entry.strip():
            sources.append(_folder_source(Path(entry.strip()), FROM_ENV))
    sources += [_folder_source(Path(folder), FROM_OPTION) for folder in extra]
    # A folder named twice (the checkout's templates/ is both built-in and the project's) counts
    # once, at its highest place.
    seen: Set[Path] = set()
    unique = []
    for source in reversed(sources):
        key = _resolved(source.path)
        if key not in seen:
            seen.add(key)
            unique.append(source)
    return unique[::-1]


def template_roots(extra: Sequence[Path] = ()) -> List[Path]:
    """The usable roots, later ones overriding earlier ones."""
    return [source.path for source in template_sources(extra) if source.problem is None]


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _folder_source(path: Path, origin: str) -> Source:
    if not path.is_dir():
        return Source(path, origin, "找不到这个文件夹")
    if (path / PACK_FILES[0]).is_file():
        return Source(path, origin, "这是一个模板包；请给出包含“文种/样式/”的上两级文件夹")
    return Source(path, origin)


def _package_sources() -> List[Source]:
    """Packs that installed distributions declare: ``[drafter.templates] name = module`` (the
    module's folder holds packs) or ``name = module:attr`` (a folder path, or a function giving one).

    importlib.metadata is imported here, not at start-up: only finding or listing packs pays for it,
    and once per process for a given sys.path (a batch drafts many sheets).
    """
    return list(_package_sources_on(tuple(sys.path)))


@functools.lru_cache(maxsize=4)
def _package_sources_on(path: Tuple[str, ...]) -> Tuple[Source, ...]:
    from importlib import metadata

    found = metadata.entry_points()
    if hasattr(found, "select"):  # Python 3.10+
        points = [(point, point.dist.name if point.dist else point.name)
                  for point in found.select(group=ENTRY_POINT_GROUP)]
    else:  # Python 3.9: a dict of groups whose entry points do not know their distribution
        points = [(point, dist.metadata["Name"]) for dist in metadata.distributions()
                  for point in dist.entry_points if point.group == ENTRY_POINT_GROUP]
    sources, seen = [], set()
    for point, dist in points:
        if (dist, point.name) in seen:
            continue  # the same distribution found twice on sys.path: the first one counts
        seen.add((dist, point.name))
        origin = f"包 {dist}"
        try:
            folder = _entry_point_folder(point)
        except Exception as error:  # a broken package must not stop drafter: it is listed as broken
            sources.append(Source(Path(point.value), origin, f"入口点 {point.name} = {point.value} 无法使用（{error}）"))
            continue
        sources.append(_folder_source(folder, origin))
    return tuple(sources)


def _entry_point_folder(point: Any) -> Path:
    parts = point.pattern.match(point.value)  # EntryPoint.module and .attr are not there on every Python
    if parts and not parts.group("attr"):
        # A plain module: find its folder without importing (running) it.
        module = parts.group("module")
        spec = importlib.util.find_spec(module)
        if spec is None:
            raise ImportError(f"找不到模块 {module}")
        if spec.submodule_search_locations:
            return Path(list(spec.submodule_search_locations)[0])
        return Path(spec.origin).parent
    value = point.load()
    if callable(value):
        value = value()
    if hasattr(value, "__file__") and value.__file__:
        return Path(value.__file__).parent
    return Path(os.fspath(value))


# --------------------------------------------------------------------------- packs


@dataclass
class TemplatePack:
    kind: str
    style: str
    folder: Path
    title: str
    description: str
    layout: str
    output: str
    shared_schemas: Tuple[SchemaPart, ...] = ()  # from template.yaml ``schemas``, already located
    base_schema: Optional[Path] = None  # the kind's schema.yaml, from the highest root that has one
    kind_folders: Tuple[Path, ...] = ()  # the kind's folder in each root, highest first: fragments
    reads: Optional[Reads] = field(default=None, repr=False)  # filled by check_outline

    @property
    def schema_files(self) -> List[SchemaPart]:
        """The kind's base schema, the shared ones template.yaml names, then the style's own fields."""
        own = self.folder / SCHEMA_FILE
        return ([self.base_schema] if self.base_schema else []) + list(self.shared_schemas) + \
            ([own] if own.is_file() else [])

    @property
    def outline(self) -> Path:
        return self.folder / "outline.md.j2"

    @property
    def search_path(self) -> List[str]:
        """Where {% include %} looks: the pack's folder, then its kind's folder in every root."""
        return [str(self.folder)] + [str(folder) for folder in self.kind_folders]


def find_pack(kind: str, style: str, roots: Optional[List[Path]] = None) -> TemplatePack:
    roots = roots if roots is not None else template_roots()
    for root in reversed(roots):  # later roots override earlier ones
        folder = root / kind / style
        if folder.is_dir():
            return load_pack(kind, style, folder, roots)
    styles = sorted({p.parent.name for r in roots for p in (r / kind).glob("*/template.yaml")})
    raise DrafterError(f"找不到“{kind}”的模板样式“{style}”（可用：{'、'.join(styles) or '无'}；"
                       "drafter templates 列出全部样式）")


def load_pack(kind: str, style: str, folder: Path, roots: Sequence[Path]) -> TemplatePack:
    """A pack's template.yaml, checked key by key; problems name the file and line."""
    from .facts import load_yaml

    for name in PACK_FILES:
        if not (folder / name).is_file():
            raise DrafterError(Problem(f"模板包缺少文件 {name}", file=str(folder)))
    meta = load_yaml(folder / "template.yaml", "模板说明文件")
    data = meta.data
    problems = []
    for key, value in data.items():
        line, column = meta.key_positions.get((key,), (None, None))
        if key not in META_KEYS:
            guess = difflib.get_close_matches(key, list(META_KEYS), n=1)
            hint = f"，是否想写“{guess[0]}”？" if guess else "；"
            known = "、".join(f"{k}（{v}）" for k, v in META_KEYS.items())
            problems.append(Problem(f"未知的键“{key}”{hint}可写：{known}", meta.path, line, column))
        elif key not in ("schemas", "unprinted") and value is not None and not isinstance(value, (str, int, float)):
            problems.append(Problem(f"{key}（{META_KEYS[key]}）应是一段文字", meta.path, line, column, key))
    try:
        shared = _shared_schemas(meta, roots)
    except DrafterError as error:
        problems += error.problems
        shared = ()
    if problems:
        raise DrafterError(problems)
    kind_folders = tuple(root / kind for root in reversed(roots) if (root / kind).is_dir())
    base = next((f / SCHEMA_FILE for f in kind_folders if (f / SCHEMA_FILE).is_file()), None)
    if base is not None and any(_resolved(_part_path(part)) == _resolved(base) for part in shared):
        base = None  # template.yaml names the base schema itself, to take only some of its fields
    return TemplatePack(kind=kind, style=style, folder=folder,
                        title=str(data.get("title") or style),
                        description=str(data.get("description") or ""),
                        layout=str(data.get("layout") or "gbt9704"),
                        output=str(data.get("output") or data.get("title") or style),
                        shared_schemas=shared, base_schema=base, kind_folders=kind_folders)


def _shared_schemas(meta: FactSheet, roots: Sequence[Path]) -> Tuple[SchemaPart, ...]:
    """template.yaml ``schemas``: files under templates/ (``news/event.yaml``), each maybe with the
    fields taken from it (``{file: speech/schema.yaml, fields: [year, unit]}``); a project's
    ./templates/ copy of a file wins over the built-in one, as packs do."""
    entries = meta.data.get("schemas") or []
    problems, parts = [], []

    def fail(index: int, message: str) -> None:
        line, column = meta.positions.get(("schemas", index), (None, None))
        problems.append(Problem(message, meta.path, line, column, f"schemas[{index + 1}]"))

    if not isinstance(entries, list):
        entries = [entries]
    for index, entry in enumerate(entries):
        name, fields = (entry.get("file"), entry.get("fields")) if isinstance(entry, dict) else (entry, None)
        if not isinstance(name, str) or not name:
            fail(index, "应写成 templates/ 下的文件路径，或 {file: 路径, fields: [字段名, …]}")
            continue
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts:
            fail(index, f"“{name}”应是 templates/ 下的相对路径，不能用绝对路径或“..”")
            continue
        found = next((root / relative for root in reversed(roots) if (root / relative).is_file()), None)
        if found is None:
            fail(index, f"找不到共用字段定义文件“{name}”")
        elif fields is None:
            parts.append(found)
        elif isinstance(fields, list) and fields and all(isinstance(f, str) for f in fields):
            parts.append((found, tuple(fields)))
        else:
            fail(index, "fields 应是字段名（英文规范键名）的列表")
    if problems:
        raise DrafterError(problems)
    return tuple(parts)


def inspect_pack(pack: TemplatePack, roots: Sequence[Path]) -> Tuple[Optional[Schema], List[Problem]]:
    """Everything that can be wrong with a pack before any fact sheet is read: its schema, its
    layout, its ``unprinted`` list, its outline and fragments."""
    from .accounting import unprinted_fields
    from .layout import available_layouts
    from .validate import load_schema

    problems: List[Problem] = []
    layouts = available_layouts([root / LAYOUTS for root in roots])
    if pack.layout not in layouts and not pack.layout.endswith((".yaml", ".yml")):
        problems.append(Problem(f"找不到版式方案“{pack.layout}”（可用：{'、'.join(layouts)}）",
                                str(pack.folder / PACK_FILES[0])))
    try:
        schema = load_schema(pack.schema_files)
    except DrafterError as error:
        return None, problems + error.problems
    try:
        unprinted_fields(pack.folder, schema)  # each names a field of the schema
    except DrafterError as error:
        problems += error.problems
    return schema, problems + outline_problems(pack, schema)


# --------------------------------------------------------------------------- listing, show, new


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
                if not any((folder / name).is_file() for name in PACK_FILES + (SCHEMA_FILE,)):
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
    lines = _table(rows)
    for entry in entries:
        if entry.problems:
            lines.append("")
            lines.append(f"{entry.kind}/{entry.style}（{entry.folder}）有错，不能使用：")
            lines += [f"  {problem}" for problem in entry.problems]
    for source in broken_sources:
        lines.append("")
        lines.append(f"模板文件夹 {source.path}（{source.origin}）不能使用：{source.problem}")
    return "\n".join(lines)


def describe_pack(spec: str, extra: Sequence[Path] = (), everything: bool = False) -> str:
    """`drafter templates show KIND/STYLE`: what the style is and which facts it reads."""
    from .events import EVENT_FIELD

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
    takes_event = EVENT_FIELD in (schema.root.fields or {})
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
    for path, labels, spec_field, example in _field_rows(pack, schema):
        if not everything and not any(read[:len(path)] == path for read in reads):
            hidden += 1
            continue
        container = spec_field.fields or (spec_field.item is not None and spec_field.item.fields)
        rows.append((labels, _dotted(path), _type_name(spec_field), "必填" if spec_field.required else "可选",
                     "" if container else _show_example(example)))  # a container's fields have their own
    lines.append("读取的事实：" if not everything else "字段定义中的全部事实：")
    lines += ["  " + line for line in _table(rows)]
    if takes_event:
        lines.append("  （“活动”是事实表“活动”列表中用 --event 选中的那一项）")
    if hidden:
        lines.append(f"（字段定义里另有 {hidden} 项本样式的模板没有用到；--all 全部列出）")
    lines.append("字段定义：" + "、".join(str(_part_path(p)) for p in pack.schema_files))
    return "\n".join(lines)


def _part_path(part: SchemaPart) -> Path:
    return Path(part[0] if isinstance(part, tuple) else part)


def _field_rows(pack: TemplatePack, schema: Schema) -> Iterator[Tuple[Tuple[str, ...], str, Field, Any]]:
    """(canonical path, path as the writer types it, field, example) for every declared field."""
    examples = _examples(pack.schema_files, schema)

    def walk(fields: Dict[str, Field], path: Tuple[str, ...], labels: str):
        for name, spec in fields.items():
            here, typed = path + (name,), (f"{labels}.{spec.label}" if labels else spec.label)
            yield here, typed, spec, examples.get(here)
            if spec.fields:
                yield from walk(spec.fields, here, typed)
            elif spec.item is not None and spec.item.fields:
                yield from walk(spec.item.fields, here + ("[]",), typed + "[]")

    yield from walk(schema.root.fields or {}, (), "")


def _examples(parts: Sequence[SchemaPart], schema: Schema) -> Dict[Tuple[str, ...], Any]:
    """Each field's ``example`` from the schema files, later files winning (the compiled schema
    keeps only what validation needs)."""
    from .facts import load_yaml

    examples: Dict[Tuple[str, ...], Any] = {}

    def walk(raw: Any, fields: Optional[Dict[str, Field]], path: Tuple[str, ...]) -> None:
        if not isinstance(raw, dict) or not fields:
            return
        for name, spec in raw.items():
            compiled = fields.get(name)
            if not isinstance(spec, dict) or compiled is None:
                continue
            if "example" in spec:
                examples[path + (name,)] = spec["example"]
            inner = spec.get("schema")
            if compiled.fields:
                walk(inner, compiled.fields, path + (name,))
            elif compiled.item is not None and isinstance(inner, dict):
                walk(inner.get("schema"), compiled.item.fields, path + (name, "[]"))

    for part in parts:
        path, names = part if isinstance(part, tuple) else (part, None)
        data = load_yaml(path, "字段定义文件").data
        if names is not None and isinstance(data, dict):
            data = {n: data[n] for n in names if n in data}
        walk(data, schema.root.fields, ())
    return examples


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
    if len(parts) != 2 or not all(_NAME.match(p) for p in parts):
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
                       and (s.path / from_kind / from_style).is_dir()), "")
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
        from .events import EVENT_FIELD
        from .validate import load_schema

        pack = load_pack(kind, name, target, template_roots(extra))
        takes_event = EVENT_FIELD in (load_schema(pack.schema_files).root.fields or {})
    except DrafterError:
        pass  # `drafter templates` and the first draft will say what is wrong
    lines = [done,
             f"  {target / 'template.yaml'}   中文名（title）、说明、版式、输出文件名",
             f"  {target / SCHEMA_FILE}     本样式另外读取的字段",
             f"  {target / 'outline.md.j2'}   提纲（写法见 docs/authoring.md）",
             f"查看：drafter templates show {kind}/{name}",
             f"试写：drafter {kind} --style {name}" + (" --event 编号或类型" if takes_event else "") + " --format txt"]
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

    base = next((f"{k}/{SCHEMA_FILE}" for k in (kind, "speech") for root in reversed(roots)
                 if (root / k / SCHEMA_FILE).is_file()), None)
    shared = ""
    if base is not None:
        data = load_yaml(next(r / base for r in reversed(roots) if (r / base).is_file()), "字段定义文件").data
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


def _table(rows: Sequence[Sequence[str]]) -> List[str]:
    """Columns aligned for a terminal: Chinese characters are two cells wide."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
            for row in rows]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --------------------------------------------------------------------------- the Jinja environment


_ENVIRONMENTS: Dict[Tuple[str, ...], Any] = {}  # one sandbox per search path: Jinja keeps its compiled templates


def _environment(pack: TemplatePack):
    key = tuple(pack.search_path)
    if key not in _ENVIRONMENTS:
        if len(_ENVIRONMENTS) > 32:
            _ENVIRONMENTS.clear()
        _ENVIRONMENTS[key] = _new_environment(pack.search_path)
    return _ENVIRONMENTS[key]


def _new_environment(search_path: List[str]):
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment, SecurityError

    class PackLoader(jinja2.FileSystemLoader):
        """The pack's folder, then its kind's (whose fragments all its styles share); an include may
        leave out the .j2 suffix: {% include "leaders" %} reads news/leaders.j2. A file reached
        through a link out of these folders is not a template."""

        def get_source(self, environment, name):
            if not name.endswith(".j2"):
                try:
                    return self.get_source(environment, name + ".j2")
                except jinja2.TemplateNotFound:
                    pass
            source, filename, uptodate = super().get_source(environment, name)
            real = Path(filename).resolve()
            if not any(real.is_relative_to(Path(folder).resolve()) for folder in self.searchpath):
                raise jinja2.TemplateNotFound(name)
            return source, filename, uptodate

    class PackEnvironment(SandboxedEnvironment):
        """The sandbox, and no giant strings or numbers either (x * 10**9 would exhaust memory)."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("乘方的指数太大")
            if operator == "*":
                sequence, times = (left, right) if isinstance(right, int) else (right, left)
                if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) \
                        and len(sequence) * times > 100_000:
                    raise SecurityError("要重复出的文字或列表太长")
            return super().call_binop(context, operator, left, right)

    env = PackEnvironment(
        loader=PackLoader(search_path),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(_filters())
    return env


def render_outline(pack: TemplatePack, facts: dict) -> str:
    """Render the pack's outline with the validated facts; fact values can only ever be text."""
    import jinja2

    env = _environment(pack)
    try:
        template = env.get_template(pack.outline.name)
        return template.render(**facts)
    except jinja2.TemplateSyntaxError as error:
        raise DrafterError(Problem(f"模板语法错误：{error.message}",
                                   file=error.filename or str(pack.outline), line=error.lineno))
    except jinja2.TemplateNotFound as error:
        raise DrafterError(_runtime_problem(pack, error, f"找不到要引入的模板片段“{error.name}”"))
    except jinja2.TemplateError as error:
        raise DrafterError(_runtime_problem(pack, error))
    except RecursionError as error:
        raise DrafterError(_runtime_problem(pack, error, "模板片段层层引入自己，停不下来"))
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError, OverflowError,
            MemoryError) as error:
        raise DrafterError(_runtime_problem(pack, error))


def _runtime_problem(pack: TemplatePack, error: Exception, message: Optional[str] = None) -> Problem:
    """Locate a render error in the template (jinja maps template lines into the traceback) and
    name the facts that line reads."""
    import jinja2
    from jinja2.sandbox import SecurityError

    file, line = str(pack.outline), None
    tb = sys.exc_info()[2]
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            file, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    if message is not None:
        pass
    elif isinstance(error, SecurityError):
        message = f"模板试图做不允许的事（{error}）：模板只能排列事实，不能读文件或调用程序内部"
    elif isinstance(error, jinja2.UndefinedError):
        message = f"模板用到了没有定义的名字或字段（{error.message}）"
    else:
        message = f"模板出错：{type(error).__name__}: {error}"
    read = pack.reads.lines.get((file, line), set()) if pack.reads and line else set()
    paths = sorted(p for p in read if not any(other[:len(p)] == p and other != p for other in read))
    if paths:
        message += "；这一行读取的事实：" + "、".join(pack.reads.describe(p) for p in paths)
    return Problem(message, file=file, line=line, path=", ".join(_dotted(p) for p in paths) or None)


def _finalize(value) -> str:
    """Every {{ value }} becomes escaped text; a missing fact becomes a placeholder."""
    from .document import escape
    from .validate import Missing
    from .zh import zh_date

    if isinstance(value, Missing):
        return "[" + escape(value.label) + "]{.待补}"
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        value = zh_date(value)
    return escape(str(value))


def _filters() -> dict:
    from .validate import Missing
    from .zh import FILTERS

    def passing_missing(function):
        # A filter over a missing fact gives the missing fact back, so it still shows as 【待补】.
        def filtered(value, *args, **kwargs):
            return value if isinstance(value, Missing) else function(value, *args, **kwargs)
        return filtered

    return {name: passing_missing(f) for name, f in FILTERS.items()}


# --------------------------------------------------------------------------- reading templates statically

#: Names Jinja provides inside templates besides the environment's globals.
_JINJA_NAMES = frozenset({"loop", "self", "super", "caller", "varargs", "kwargs"})
_DICT_METHODS = frozenset({"items", "keys", "values", "get"})
_ITEM_FILTERS = frozenset({"first", "last", "random"})  # a list's item
_LIST_FILTERS = frozenset({"sort", "reverse", "unique", "list", "select", "reject", "selectattr", "rejectattr",
                           "default", "d"})  # the same list
_MAX_DEPTH = 20
_INTERNAL = re.compile(r"_[A-Za-z_]")  # a private or dunder name: _TemplateReference__context, __class__
FieldPath = Tuple[str, ...]  # canonical path of a field: ("areas", "[]", "heading")
Ref = Tuple["Field", FieldPath]


@dataclass
class Reads:
    """What a pack's templates read: field paths, and per (template file, line) the paths read there."""

    labels: Dict[FieldPath, str] = field(default_factory=dict)  # path → as the writer types it (工作领域[].排比标题)
    paths: Set[FieldPath] = field(default_factory=set)
    lines: Dict[Tuple[str, int], Set[FieldPath]] = field(default_factory=dict)

    def describe(self, path: FieldPath) -> str:
        return f"{_dotted(path)}（{self.labels.get(path, '')}）"


def _dotted(path: FieldPath) -> str:
    return ".".join(path).replace(".[]", "[]")


def check_outline(pack: TemplatePack, schema: Schema) -> None:
    """Before rendering: stop with every problem the outline and its fragments have."""
    problems = outline_problems(pack, schema)
    if problems:
        raise DrafterError(problems)


#: search path → (schema, stamps of the files and folders read, problems, reads): a batch checks once.
_CHECKED: Dict[Tuple[str, ...], Tuple[Any, Tuple[Tuple[str, Any], ...], List[Problem], Reads]] = {}


def outline_problems(pack: TemplatePack, schema: Schema) -> List[Problem]:
    """Syntax errors, missing fragments, names and fields no schema declares, reaching into Python
    internals — each at its template file and line. Records what the pack reads in ``pack.reads``."""
    key = tuple(pack.search_path)
    cached = _CHECKED.get(key)
    if cached and cached[0] is schema and all(_stamp(f) == stamp for f, stamp in cached[1]):
        pack.reads = cached[3]
        return list(cached[2])
    env = _environment(pack)
    env.cache.clear()  # a file changed within its mtime's tick would otherwise keep its old compiled form
    reader = _Reader(env, schema)
    reader.template(pack.outline.name, {}, (), None)
    problems = list(dict.fromkeys(reader.problems))  # a fragment included twice is reported once
    stamps = tuple((f, _stamp(f)) for f in sorted(reader.files | set(pack.search_path)))
    if len(_CHECKED) > 32:
        _CHECKED.clear()
    _CHECKED[key] = (schema, stamps, problems, reader.reads)
    pack.reads = reader.reads
    return list(problems)


def _stamp(path: str) -> Any:
    """What a template file holds, or which files a folder holds: templates are small, and an edit
    that keeps the size within one tick of the file system's clock must still count."""
    try:
        return tuple(sorted(os.listdir(path))) if os.path.isdir(path) else Path(path).read_bytes()
    except OSError:
        return None


class _Reader:
    def __init__(self, env: Any, schema: Schema):
        self.env = env
        self.top: Dict[str, Field] = schema.root.fields or {}
        self.problems: List[Problem] = []
        self.reads = Reads()
        self.files: Set[str] = set()  # template files read, to know when a check is stale
        self._label_paths(self.top, (), "")

    def _label_paths(self, fields: Dict[str, Field], path: FieldPath, typed: str) -> None:
        for name, spec in fields.items():
            here, label = path + (name,), f"{typed}.{spec.label}" if typed else spec.label
            self.reads.labels[here] = label
            if spec.fields:
                self._label_paths(spec.fields, here, label)
            elif spec.item is not None:
                self.reads.labels[here + ("[]",)] = label + "[]"
                if spec.item.fields:
                    self._label_paths(spec.item.fields, here + ("[]",), label + "[]")

    def problem(self, file: str, line: Optional[int], message: str, path: Optional[FieldPath] = None) -> None:
        self.problems.append(Problem(message, file, line, None, _dotted(path) if path else None))

    # -- one template and what it includes

    def template(self, name: str, inherited: Dict[str, Optional[Ref]], stack: Tuple[str, ...],
                 at: Optional[Tuple[str, int]]) -> None:
        import jinja2

        try:
            source, filename, _ = self.env.loader.get_source(self.env, name)
        except jinja2.TemplateNotFound:
            near = sorted({p.name[:-3] for folder in self.env.loader.searchpath for p in Path(folder).glob("*.j2")}
                          - {"outline.md"})
            self.problem(at[0] if at else name, at[1] if at else None,
                         f"找不到要引入的模板片段“{name}”：只能引入本样式文件夹和文种文件夹里的 .j2 文件"
                         f"（可用：{'、'.join(near) or '无'}）")
            return
        self.files.add(filename)
        if filename in stack:
            self.problem(at[0], at[1], f"模板片段“{name}”引入了自己（{' → '.join(Path(s).name for s in stack)}），会无限循环")
            return
        if len(stack) > _MAX_DEPTH:
            return
        try:
            ast = self.env.parse(source, name, filename)
        except jinja2.TemplateSyntaxError as error:
            self.problem(filename, error.lineno, f"模板语法错误：{error.message}")
            return
        bindings = self._bind(ast, inherited)
        self._check_names(ast, filename, bindings, inherited)
        self._check_attributes(ast, filename, bindings)
        self._follow(ast, filename, bindings, stack + (filename,))

    def _follow(self, ast: Any, filename: str, bindings: Dict[str, Optional[Ref]], stack: Tuple[str, ...]) -> None:
        from jinja2 import nodes

        for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            if not (isinstance(node.template, nodes.Const) and isinstance(node.template.value, str)):
                continue  # a name computed while rendering: the loader still only reads pack folders
            name = node.template.value
            if isinstance(node, nodes.Include) and node.ignore_missing and not self._exists(name):
                continue
            with_context = isinstance(node, (nodes.Include, nodes.Extends)) or getattr(node, "with_context", False)
            self.template(name, bindings if with_context else {}, stack, (filename, node.lineno))

    def _exists(self, name: str) -> bool:
        import jinja2

        try:
            self.env.loader.get_source(self.env, name)
            return True
        except jinja2.TemplateNotFound:
            return False

    # -- which names stand for which fields

    def _bind(self, ast: Any, inherited: Dict[str, Optional[Ref]]) -> Dict[str, Optional[Ref]]:
        """Names the template sets (set, for, with, macro, import) and the field each stands for,
        when it stands for one: {% set ev = event %}, {% for area in areas %}. A name set to
        different things stays unknown. Repeated until nothing changes, so order does not matter."""
        from jinja2 import nodes

        bindings: Dict[str, Optional[Ref]] = dict(inherited)
        for _ in range(6):
            found: Dict[str, Optional[Ref]] = {}
            conflicts: Set[str] = set()

            def bind(target: Any, ref: Optional[Ref]) -> None:
                names = [target.name] if isinstance(target, nodes.Name) else \
                    [n.name for n in target.find_all(nodes.Name)] if isinstance(target, nodes.Node) else [target]
                for name in names:
                    ref_here = ref if isinstance(target, nodes.Name) else None
                    if name in found and _path(found[name]) != _path(ref_here):
                        conflicts.add(name)
                    found.setdefault(name, ref_here)

            for node in ast.find_all((nodes.Assign, nodes.AssignBlock, nodes.For, nodes.With, nodes.Macro,
                                      nodes.CallBlock, nodes.Import, nodes.FromImport)):
                if isinstance(node, nodes.Assign):
                    bind(node.target, self.resolve(node.node, bindings))
                elif isinstance(node, nodes.For) and _pairs(node):
                    # {% for area, heading in areas|frame_headings(heading_frame) %}: an item and its heading
                    item = _item(self.resolve(node.iter.node, bindings))
                    first, second = node.target.items
                    heading = item and (item[0].fields or {}).get("heading")
                    bind(first, item)
                    bind(second, (heading, item[1] + ("heading",)) if heading else None)
                elif isinstance(node, nodes.For):
                    bind(node.target, _item(self.resolve(node.iter, bindings)))
                elif isinstance(node, nodes.With):
                    for target, value in zip(node.targets, node.values):
                        bind(target, self.resolve(value, bindings))
                elif isinstance(node, nodes.Macro):
                    bind(node.name, None)
                    for arg in node.args:
                        bind(arg, None)
                elif isinstance(node, nodes.CallBlock):
                    for arg in node.args:
                        bind(arg, None)
                elif isinstance(node, nodes.Import):
                    bind(node.target, None)
                elif isinstance(node, nodes.FromImport):
                    for item in node.names:
                        bind(item[1] if isinstance(item, tuple) else item, None)
                elif isinstance(node, nodes.AssignBlock):
                    bind(node.target, None)
            for name in conflicts:
                found[name] = None
            updated = {**inherited, **found}
            if {k: _path(v) for k, v in updated.items()} == {k: _path(v) for k, v in bindings.items()}:
                return updated
            bindings = updated
        return bindings

    def resolve(self, expr: Any, bindings: Dict[str, Optional[Ref]]) -> Optional[Ref]:
        """The field an expression stands for: event.host.title, (ev.leaders|first).name, areas[0]."""
        from jinja2 import nodes

        if isinstance(expr, nodes.Name):
            if expr.name in bindings:
                return bindings[expr.name]
            spec = self.top.get(expr.name)
            return (spec, (expr.name,)) if spec is not None else None
        if isinstance(expr, (nodes.Getattr, nodes.Getitem)):
            base = self.resolve(expr.node, bindings)
            key = _key(expr)
            if base is None or key is None:
                return None
            if isinstance(key, int):
                return _item(base)
            spec = (base[0].fields or {}).get(key)
            return (spec, base[1] + (key,)) if spec is not None else None
        if isinstance(expr, nodes.Filter) and expr.node is not None:
            if expr.name in _ITEM_FILTERS:
                return _item(self.resolve(expr.node, bindings))
            if expr.name in _LIST_FILTERS:
                return self.resolve(expr.node, bindings)
        return None

    # -- the checks

    def _check_names(self, ast: Any, filename: str, bindings: Dict[str, Optional[Ref]],
                     inherited: Dict[str, Optional[Ref]]) -> None:
        from jinja2 import meta, nodes

        known = set(self.top) | set(self.env.globals) | set(inherited) | _JINJA_NAMES
        first_use: Dict[str, int] = {}
        for node in ast.find_all(nodes.Name):
            if node.ctx == "load":
                first_use.setdefault(node.name, node.lineno)
                ref = self.resolve(node, bindings)
                if ref is not None:
                    self._read(filename, node.lineno, ref[1])
        for name in sorted(meta.find_undeclared_variables(ast) - known, key=lambda n: first_use.get(n, 0)):
            self.problem(filename, first_use.get(name), self._unknown_name(name))

    def _unknown_name(self, name: str) -> str:
        if name.startswith("_") or name in ("open", "eval", "exec", "getattr", "globals", "locals", "vars"):
            return (f"模板用到了没有定义的名字“{name}”：模板只能排列事实，不能读文件、引入模块或调用程序内部")
        by_label = {label: n for n, spec in self.top.items() for label in (spec.label, *spec.aliases)}
        if name in by_label:
            hint = f"。事实表里的“{name}”在模板里写作 {by_label[name]}。"
        else:
            guess = difflib.get_close_matches(name, list(self.top), n=1, cutoff=0.6)
            hint = f"，是否想写“{guess[0]}”？" if guess else "。"
        fields = "、".join(f"{n}（{spec.label}）" for n, spec in self.top.items())
        return (f"模板用到了没有定义的名字“{name}”：字段定义里没有这个字段{hint}"
                f"可用的字段：{fields}；要读新的事实，先在样式的 schema.yaml 里定义它")

    def _check_attributes(self, ast: Any, filename: str, bindings: Dict[str, Optional[Ref]]) -> None:
        from jinja2 import nodes

        for node in ast.find_all((nodes.Filter, nodes.Test)):  # |attr('__class__'), |map('attr', '_x')
            arguments = list(node.args) + [k.value for k in node.kwargs]
            for value in arguments:
                if isinstance(value, nodes.Const) and isinstance(value.value, str) and _INTERNAL.match(value.value):
                    self.problem(filename, node.lineno, f"模板试图访问程序内部（“{value.value}”）：模板只能排列事实，"
                                                        "不能读文件或调用程序内部")
        for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
            key = _key(node)
            if isinstance(key, str) and _INTERNAL.match(key):
                self.problem(filename, node.lineno, f"模板试图访问程序内部（“{key}”）：模板只能排列事实，"
                                                    "不能读文件或调用程序内部")
                continue
            base = self.resolve(node.node, bindings)
            if base is None or not isinstance(key, str):
                continue
            spec, path = base
            if spec.fields is not None:
                if key in spec.fields and isinstance(node, nodes.Getattr) and hasattr(dict, key):
                    self.problem(filename, node.lineno,
                                 f"字段名“{key}”与 Python 字典的方法同名，{_dotted(path + (key,))} 取到的是方法而不是事实："
                                 f"请写成 {_dotted(path)}['{key}']，或在字段定义里给它换个名字", path + (key,))
                elif key in spec.fields:
                    self._read(filename, node.lineno, path + (key,))
                elif key not in _DICT_METHODS:
                    self.problem(filename, node.lineno, self._unknown_field(key, spec, path), path + (key,))
            elif spec.item is not None and spec.item.fields and key in spec.item.fields:
                self.problem(filename, node.lineno,
                             f"“{self.reads.labels.get(path, _dotted(path))}”是列表，不能直接取“{key}”："
                             f"请用 {{% for 一项 in {_dotted(path)} %}} 逐项取“一项.{key}”", path + (key,))

    def _unknown_field(self, key: str, spec: Field, path: FieldPath) -> str:
        guess = difflib.get_close_matches(key, list(spec.fields), n=1, cutoff=0.6)
        by_label = {label: n for n, sub in spec.fields.items() for label in (sub.label, *sub.aliases)}
        hint = (f"；事实表里的“{key}”在模板里写作 {by_label[key]}" if key in by_label
                else f"，是否想写“{guess[0]}”？" if guess else "")
        fields = "、".join(f"{n}（{sub.label}）" for n, sub in spec.fields.items())
        where = self.reads.labels.get(path, _dotted(path))
        return (f"字段定义里“{_dotted(path)}”（{where}）没有“{key}”这一项{hint}"
                f"（它有：{fields}）；要读新的事实，先在样式的 schema.yaml 里定义它")

    def _read(self, filename: str, line: int, path: FieldPath) -> None:
        self.reads.paths.add(path)
        self.reads.lines.setdefault((filename, line), set()).add(path)


#: Filters that give each item of a list with something beside it, as (item, value) pairs.
_PAIR_FILTERS = frozenset({"frame_headings"})


def _pairs(node: Any) -> bool:
    from jinja2 import nodes

    return (isinstance(node.iter, nodes.Filter) and node.iter.name in _PAIR_FILTERS and node.iter.node is not None
            and isinstance(node.target, nodes.Tuple) and len(node.target.items) == 2)


def _path(ref: Optional[Ref]) -> Optional[FieldPath]:
    return ref[1] if ref is not None else None


def _item(ref: Optional[Ref]) -> Optional[Ref]:
    if ref is None or ref[0].item is None:
        return None
    return ref[0].item, ref[1] + ("[]",)


def _key(node: Any) -> Any:
    """The attribute or constant key of a Getattr/Getitem node, else None."""
    from jinja2 import nodes

    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, (str, int)):
        return node.arg.value
    return None
