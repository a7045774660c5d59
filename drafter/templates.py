"""Template packs (templates/<kind>/<style>/) and rendering their outline in a Jinja sandbox.

A pack is plain files a template author edits: template.yaml (names, layout, output name, and
``schemas`` it shares with other packs), schema.yaml (facts it needs beyond its kind's base schema)
and outline.md.j2 (the outline). Jinja fragments in the kind's folder (news/leaders.j2) serve all
of its styles through {% include %}.
"""
from __future__ import annotations

import datetime
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional, Tuple

from .errors import DrafterError, Problem

if TYPE_CHECKING:  # annotations only: templates.py imports no YAML or Cerberus until it must
    from .facts import FactSheet
    from .validate import SchemaPart

PACK_FILES = ("template.yaml", "outline.md.j2")


def builtin_templates() -> Path:
    """The shipped templates/: package data when installed, the checkout's folder otherwise."""
    spec = importlib.util.find_spec("drafter._templates")
    if spec and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(__file__).resolve().parent.parent / "templates"


def template_roots() -> List[Path]:
    """Where packs and layouts are looked up, later ones overriding: built-in, then ./templates/."""
    roots = [builtin_templates()]
    project = Path("templates")
    if project.is_dir() and project.resolve() != roots[0].resolve():
        roots.append(project)
    return roots


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

    @property
    def schema_files(self) -> List[SchemaPart]:
        """The kind's base schema, the shared ones template.yaml names, then the style's own fields."""
        base, own = self.folder.parent / "schema.yaml", self.folder / "schema.yaml"
        return ([base] if base.is_file() else []) + list(self.shared_schemas) + ([own] if own.is_file() else [])

    @property
    def outline(self) -> Path:
        return self.folder / "outline.md.j2"


def find_pack(kind: str, style: str, roots: Optional[List[Path]] = None) -> TemplatePack:
    roots = roots or template_roots()
    for root in reversed(roots):  # later roots override earlier ones
        folder = root / kind / style
        if folder.is_dir():
            return _load_pack(kind, style, folder, roots)
    styles = sorted({p.parent.name for r in roots for p in (r / kind).glob("*/template.yaml")})
    raise DrafterError(f"找不到“{kind}”的模板样式“{style}”（可用：{'、'.join(styles) or '无'}）")


def _load_pack(kind: str, style: str, folder: Path, roots: List[Path]) -> TemplatePack:
    from .facts import load_yaml

    for name in PACK_FILES:
        if not (folder / name).is_file():
            raise DrafterError(Problem(f"模板包缺少文件 {name}", file=str(folder)))
    meta = load_yaml(folder / "template.yaml", "模板说明文件")
    data = meta.data
    return TemplatePack(kind=kind, style=style, folder=folder,
                        title=str(data.get("title") or style),
                        description=str(data.get("description") or ""),
                        layout=str(data.get("layout") or "gbt9704"),
                        output=str(data.get("output") or data.get("title") or style),
                        shared_schemas=_shared_schemas(meta, roots))


def _shared_schemas(meta: FactSheet, roots: List[Path]) -> Tuple[SchemaPart, ...]:
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


def render_outline(pack: TemplatePack, facts: dict) -> str:
    """Render the pack's outline with the validated facts; fact values can only ever be text."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    class PackLoader(jinja2.FileSystemLoader):
        """The pack's folder, then its kind's, whose fragments all its styles share; an include may
        leave out the .j2 suffix: {% include "leaders" %} reads news/leaders.j2."""

        def get_source(self, environment, name):
            if not name.endswith(".j2"):
                try:
                    return super().get_source(environment, name + ".j2")
                except jinja2.TemplateNotFound:
                    pass
            return super().get_source(environment, name)

    env = SandboxedEnvironment(
        loader=PackLoader([str(pack.folder), str(pack.folder.parent)]),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(_filters())
    try:
        template = env.get_template(pack.outline.name)
        return template.render(**facts)
    except jinja2.TemplateSyntaxError as error:
        raise DrafterError(Problem(f"模板语法错误：{error.message}",
                                   file=error.filename or str(pack.outline), line=error.lineno))
    except jinja2.TemplateError as error:
        raise DrafterError(_runtime_problem(pack, error))
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError) as error:
        raise DrafterError(_runtime_problem(pack, error))


def _runtime_problem(pack: TemplatePack, error: Exception) -> Problem:
    """Locate a render error in the template: jinja maps template lines into the traceback."""
    import jinja2
    from jinja2.sandbox import SecurityError

    line = None
    tb = sys.exc_info()[2]
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).name.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    if isinstance(error, jinja2.UndefinedError):
        message = f"模板用到了没有定义的名字或字段（{error.message}）"
    elif isinstance(error, SecurityError):
        message = f"模板试图做不允许的事（{error}）：模板只能排列事实，不能读文件或调用程序内部"
    else:
        message = f"模板出错：{type(error).__name__}: {error}"
    return Problem(message, file=str(pack.outline), line=line)


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
