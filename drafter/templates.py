"""Template packs (templates/<kind>/<style>/): finding them and loading them.

A pack is plain files a template author edits: template.yaml (names, layout, output name, and
``schemas`` it shares with other packs), schema.yaml (facts it needs beyond its kind's base schema)
and outline.md.j2 (the outline). Jinja fragments in the kind's folder (news/leaders.j2) serve all
of its styles through {% include %}.

Packs are looked up in several roots, later ones overriding earlier ones by kind and style (layouts
and shared files by name): the built-in templates/, packs that installed packages declare under the
``drafter.templates`` entry point (entry_points.py), the project's ./templates/, the folders in
$DRAFTER_TEMPLATES, then those given with --templates. A pack's metadata never reaches outside its
folder: ``output`` is the end of a file name, ``layout`` a profile's name or a file of its own.

Before anything renders, template_check.py reads the outline statically; render.py renders it in
Jinja's sandbox; `drafter templates` lives in catalog.py.
"""
from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Set, Tuple

from .errors import DrafterError, Problem, did_you_mean

if TYPE_CHECKING:  # annotations only: templates.py imports no YAML, Jinja or Cerberus until it must
    from .facts import FactSheet
    from .validate import SchemaPart

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
    "unprinted": "读取而有意不写进文稿的字段", "form": "各级的形式（序号、位置、分段）",
}
PACK_NAME = re.compile(r"[^\W][\w.-]*\Z")  # a style or kind name: a folder name, no path separators
NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')  # separators, drives, what Windows forbids, controls
OUTPUT_LIMIT = 40  # characters of ``output``: the sheet's name, an event's and the extension come on top


# --------------------------------------------------------------------------- where packs come from


@dataclass(frozen=True)
class Source:
    """A folder holding packs (``<kind>/<style>/``) and layouts, and where it was declared."""

    path: Path
    origin: str  # 内置, 项目, DRAFTER_TEMPLATES, --templates, or 包 <distribution>
    problem: Optional[str] = None  # why it cannot be used (a missing folder, an entry point that fails)

    @property
    def where(self) -> str:
        """Where it was declared, as staff read it."""
        return {FROM_ENV: f"环境变量 {ENV_VAR}", FROM_OPTION: "命令行 --templates"}.get(self.origin, self.origin)

    @property
    def complaint(self) -> str:
        """Why it is not used, naming the folder and where it came from."""
        return f"模板文件夹 {self.path}（{self.where}）不能使用：{self.problem}"


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
            sources.append(folder_source(Path(entry.strip()), FROM_ENV))
    sources += [folder_source(Path(folder), FROM_OPTION) for folder in extra]
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


def drafting_sources(extra: Sequence[Path] = ()) -> Tuple[List[Source], List[Problem]]:
    """The usable roots of a draft, and a warning for each $DRAFTER_TEMPLATES folder it cannot use;
    a --templates folder it cannot use stops it. A misspelt or unmounted folder must never quietly
    leave the built-in packs to write the draft."""
    sources = template_sources(extra)
    refused = [Problem(s.complaint) for s in sources if s.problem and s.origin == FROM_OPTION]
    if refused:
        raise DrafterError(refused)
    warnings = [Problem(f"{s.complaint}；这次起草没有用它") for s in sources if s.problem and s.origin == FROM_ENV]
    return [s for s in sources if s.problem is None], warnings


def origin_notice(pack: TemplatePack, sources: Sequence[Source]) -> List[Problem]:
    """Where a pack came from when it is neither drafter's own nor the project's: an installed
    package's speech/report would otherwise replace the built-in one without a word."""
    having = [s for s in sources if is_pack_folder(s.path / pack.kind / pack.style)]
    if not having or having[-1].origin in (BUILTIN, PROJECT):
        return []
    hidden = "、".join(s.where for s in having[:-1])
    return [Problem(f"样式 {pack.kind}/{pack.style} 取自{having[-1].where}（{pack.folder}）" +
                    (f"，覆盖了{hidden}的同名样式" if hidden else ""))]


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def folder_source(path: Path, origin: str) -> Source:
    """A declared folder, with why it cannot be used: missing, unreadable, one pack rather than the
    folder above its kind, or holding nothing drafter reads."""
    try:
        if not path.is_dir():
            return Source(path, origin, "找不到这个文件夹")
        if (path / PACK_FILES[0]).is_file():
            return Source(path, origin, "这是一个模板包；请给出包含“文种/样式/”的上两级文件夹")
        with os.scandir(path) as listing:
            kinds = [Path(e.path) for e in listing if e.is_dir() and not e.name.startswith((".", "_"))]
    except OSError as error:
        return Source(path, origin, f"无法读取（{error.strerror or error}）")
    if not any(_holds_templates(kind) for kind in kinds):
        return Source(path, origin, "里面没有 drafter 能读的模板：应有“文种/样式/”模板包、layouts/ 里的 .yaml "
                                    "版式方案，或文种文件夹里的 .j2 片段、.yaml 字段定义")
    return Source(path, origin)


def _holds_templates(kind: Path) -> bool:
    """A kind's folder with a pack, a fragment or a shared .yaml in it; layouts/ with a profile."""
    files = (".yaml",) if kind.name == LAYOUTS else (".yaml", ".j2")
    try:
        with os.scandir(kind) as listing:
            return any(e.name.endswith(files) and e.is_file() or e.is_dir() and is_pack_folder(Path(e.path))
                       for e in listing)
    except OSError:
        return False


def _package_sources() -> List[Source]:
    """Packs that installed distributions declare under the ``drafter.templates`` entry point
    (entry_points.py: read only when packs are looked for, never at start-up)."""
    from .entry_points import package_sources

    return package_sources()


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
    unprinted: Tuple[Tuple[str, Optional[int], Optional[int]], ...] = ()  # ``unprinted`` entries, with line, column
    reads: Optional[Reads] = field(default=None, repr=False)  # filled by check_outline
    form: Any = None  # template.yaml ``form``: the style's default form scheme (form.py reads it)
    meta: Optional[FactSheet] = field(default=None, repr=False)  # template.yaml as read, for form's lines

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


def is_pack_folder(folder: Path) -> bool:
    """A style's folder: it holds a pack's own files (one with some missing is listed as broken)."""
    return any((folder / name).is_file() for name in PACK_FILES + (SCHEMA_FILE,))


def find_pack(kind: str, style: str, roots: Optional[List[Path]] = None) -> TemplatePack:
    if not (PACK_NAME.match(kind) and PACK_NAME.match(style)):
        raise DrafterError(f"样式名“{style}”应是一个文件夹名（字母、数字、汉字、“.”“-”“_”），不能含路径")
    roots = roots if roots is not None else template_roots()
    for root in reversed(roots):  # later roots override earlier ones
        folder = root / kind / style
        if is_pack_folder(folder):
            return load_pack(kind, style, folder, roots)
    styles = sorted({p.parent.name for r in roots for p in (r / kind).glob("*/template.yaml")})
    raise DrafterError(f"找不到“{kind}”的模板样式“{style}”（可用：{'、'.join(styles) or '无'}；"
                       "drafter templates 列出全部样式）")


def style_names(roots: Sequence[Path]) -> List[str]:
    """Every style's folder name and title (汇报发言, report …) in the roots, for telling a sheet's
    misspelt style from one that is simply not being drafted."""
    from .facts import load_yaml

    names: List[str] = []
    for meta in sorted({p for root in roots for p in root.glob("*/*/template.yaml")}):
        names.append(meta.parent.name)
        try:
            title = load_yaml(meta, "模板说明文件").data.get("title")
        except (DrafterError, AttributeError):
            continue
        if title:
            names.append(str(title))
    return names


def load_pack(kind: str, style: str, folder: Path, roots: Sequence[Path]) -> TemplatePack:
    """A pack's template.yaml, checked key by key; problems name the file and line."""
    from .facts import format_path, load_yaml

    for name in PACK_FILES:
        if not (folder / name).is_file():
            raise DrafterError(Problem(f"模板包缺少文件 {name}", file=str(folder)))
    meta = load_yaml(folder / "template.yaml", "模板说明文件")
    data = meta.data
    problems = []
    for key, value in data.items():
        line, column = meta.key_positions.get((key,), (None, None))
        if key not in META_KEYS:
            hint = did_you_mean(key, META_KEYS) or "；"
            known = "、".join(f"{k}（{v}）" for k, v in META_KEYS.items())
            problems.append(Problem(f"未知的键“{key}”{hint}可写：{known}", meta.path, line, column))
        elif key not in ("schemas", "unprinted", "form") and value is not None and not isinstance(value, (str, int, float)):
            problems.append(Problem(f"{key}（{META_KEYS[key]}）应是一段文字", meta.path, line, column, key))
    problems += _boundary_problems(meta, folder)
    unprinted = []
    for index, entry in enumerate(_as_list(data.get("unprinted"))):
        line, column = meta.positions.get(("unprinted", index), meta.key_positions.get(("unprinted",), (None, None)))
        if isinstance(entry, str):
            unprinted.append((entry, line, column))
        else:
            problems.append(Problem(f"“{entry}”应是规范键名的路径，如 speech.meeting.organizer", meta.path, line,
                                    column, format_path(("unprinted", index))))
    try:
        shared = _shared_schemas(meta, roots)
    except DrafterError as error:
        problems += error.problems
        shared = ()
    if problems:
        raise DrafterError(problems)
    kind_folders = tuple(root / kind for root in reversed(roots) if (root / kind).is_dir())
    base = next((f / SCHEMA_FILE for f in kind_folders if (f / SCHEMA_FILE).is_file()), None)
    if base is not None and any(_resolved(schema_part_path(part)) == _resolved(base) for part in shared):
        base = None  # template.yaml names the base schema itself, to take only some of its fields
    return TemplatePack(kind=kind, style=style, folder=folder,
                        title=str(data.get("title") or style),
                        description=str(data.get("description") or ""),
                        layout=str(data.get("layout") or "gbt9704"),
                        output=str(data.get("output") or data.get("title") or style),
                        shared_schemas=shared, base_schema=base, kind_folders=kind_folders,
                        unprinted=tuple(unprinted), form=data.get("form"), meta=meta)


def _boundary_problems(meta: FactSheet, folder: Path) -> List[Problem]:
    """A pack writes and reads only inside its folder: ``output`` (or the title standing in for it)
    ends a file name, ``../../../escaped`` wrote three folders up; ``layout`` names a profile or a
    .yaml file of the pack's own, /etc/passwd was read as one."""
    from .layout import pack_layout_problem

    problems = []
    key = next((key for key in ("output", "title") if meta.data.get(key)), None)
    value = meta.data.get(key)
    wrong = _output_problem(str(value)) if isinstance(value, (str, int, float)) else None
    if wrong:
        stand_in = "" if key == "output" else "没有写 output（输出文件名），就用 title 作输出文件名，但它"
        problems.append(Problem(stand_in + wrong, meta.path, *meta.where((key,)), key))
    layout = meta.data.get("layout")
    wrong = pack_layout_problem(str(layout), folder) if isinstance(layout, (str, int, float)) else None
    if wrong:
        problems.append(Problem(f"版式方案“{layout}”{wrong}", meta.path, *meta.where(("layout",)), "layout"))
    return problems


def _output_problem(name: str) -> Optional[str]:
    bad = sorted(set(NOT_IN_FILE_NAMES.findall(name)))
    if bad:
        shown = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in bad)
        reason = f"含有文件名里不能用的字符 {shown}"
    elif ".." in name or name.startswith("."):
        reason = "以“.”开头或含有“..”"
    elif len(name) > OUTPUT_LIMIT:
        reason = f"超过 {OUTPUT_LIMIT} 个字"
    else:
        return None
    return (f"{reason}。输出文件名只是文件名的末尾（事实表名-输出文件名.docx），应是一个简短的名字，"
            "如“汇报发言”，不能含路径、“..”、盘符或 \\ / : * ? \" < > | 等字符")


def _as_list(value: Any) -> list:
    """template.yaml lists may be written as their one item."""
    return [] if value is None else value if isinstance(value, list) else [value]


def _shared_schemas(meta: FactSheet, roots: Sequence[Path]) -> Tuple[SchemaPart, ...]:
    """template.yaml ``schemas``: files under templates/ (``news/event.yaml``), each maybe with the
    fields taken from it (``{file: speech/schema.yaml, fields: [year, unit]}``); a project's
    ./templates/ copy of a file wins over the built-in one, as packs do."""
    from .facts import format_path

    problems, parts = [], []

    def fail(index: int, message: str) -> None:
        line, column = meta.positions.get(("schemas", index), (None, None))
        problems.append(Problem(message, meta.path, line, column, format_path(("schemas", index))))

    for index, entry in enumerate(_as_list(meta.data.get("schemas"))):
        unknown = sorted(set(entry) - {"file", "fields"}) if isinstance(entry, dict) else []
        if unknown:
            fail(index, f"未知的键“{unknown[0]}”{did_you_mean(unknown[0], ('file', 'fields')) or '；'}可写 file、fields")
            continue
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


def schema_part_path(part: SchemaPart) -> Path:
    return Path(part[0] if isinstance(part, tuple) else part)


def dotted_path(path: Tuple[str, ...]) -> str:
    """event.agenda.[] → event.agenda[]: a field path as messages show it."""
    return ".".join(path).replace(".[]", "[]")


FieldPath = Tuple[str, ...]  # canonical path of a field: ("areas", "[]", "heading")


@dataclass
class Reads:
    """What a pack's templates read: field paths, and per (template file, line) the paths read there."""

    labels: Dict[FieldPath, str] = field(default_factory=dict)  # path → as the writer types it (工作领域[].排比标题)
    paths: Set[FieldPath] = field(default_factory=set)
    lines: Dict[Tuple[str, int], Set[FieldPath]] = field(default_factory=dict)

    def describe(self, path: FieldPath) -> str:
        return f"{dotted_path(path)}（{self.labels.get(path, '')}）"

