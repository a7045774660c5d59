"""Packs that installed distributions declare under the ``drafter.templates`` entry point, found
without running any of their code.

A distribution's pyproject.toml says ``[project.entry-points."drafter.templates"] name = "module"``;
the folder of that module holds ``<kind>/<style>/`` packs. drafter only looks at files: importing
the module would run its package's __init__.py on every draft (a sleep there slowed every draft, a
SystemExit there ended drafter without a word), so a ``module:attr`` entry point, which only the
package's code could turn into a folder, is listed as unusable.

importlib.metadata is imported here, not at start-up: only finding or listing packs pays for it,
and once per process for a given sys.path (a batch drafts many sheets).
"""
from __future__ import annotations

import functools
import os
import sys
from importlib.machinery import ModuleSpec, PathFinder
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from . import cache
from .templates import ENTRY_POINT_GROUP, Source, folder_source


def package_sources() -> List[Source]:
    """Every declared root in sys.path order; one that cannot be located carries its problem."""
    return list(_package_sources_on(tuple(sys.path)))


@functools.lru_cache(maxsize=4)
def _package_sources_on(path: Tuple[str, ...]) -> Tuple[Source, ...]:
    from importlib import metadata

    try:
        declared = _declared_entry_points(path)
    except Exception as error:  # one distribution's malformed entry_points.txt must not stop every draft
        problem = f"读不出已安装的包的入口点（{_named(error)}），没有用任何包里的模板"
        return (Source(Path(ENTRY_POINT_GROUP), "已安装的包", problem),)
    sources, seen = [], set()
    for dist, name, value in declared:
        if (dist, name) in seen:
            continue  # the same distribution found twice on sys.path: the first one counts
        seen.add((dist, name))
        origin = f"包 {dist}"
        parts = metadata.EntryPoint.pattern.match(value)  # EntryPoint.module and .attr are not there on every Python
        if parts is None or parts.group("attr"):
            sources.append(Source(Path(value), origin, f"入口点 {name} = {value} 无法使用：drafter.templates 的入口点"
                                  "应写一个模块名，模板包放在这个模块所在的文件夹里（“文种/样式/”）；“模块:属性”的写法"
                                  "要运行包里的程序才能得到文件夹，drafter 不运行它"))
            continue
        try:
            folder = _module_folder(parts.group("module"), path)
        except (Exception, SystemExit) as error:  # a broken package must not stop drafter: it is listed as broken
            sources.append(Source(Path(value), origin, f"入口点 {name} = {value} 无法使用（{_named(error)}）"))
            continue
        sources.append(folder_source(folder, origin))
    return tuple(sources)


def _named(error: BaseException) -> str:
    return f"{type(error).__name__}：{error}"


def _module_folder(module: str, path: Sequence[str]) -> Path:
    """A module's folder, from the file system alone: importlib.util.find_spec('evilpack.tpl') imports
    (runs) evilpack first. Each dotted part is looked up in its parent's folders; a top-level name
    that is on no sys.path folder is asked of the other finders, which is how an editable install
    maps a name to its source folder (asking is not importing)."""
    names = module.split(".")
    spec = PathFinder.find_spec(names[0], list(path)) or _other_finders_spec(names[0])
    for depth in range(2, len(names) + 1):
        folders = spec.submodule_search_locations if spec is not None else None
        spec = PathFinder.find_spec(".".join(names[:depth]), list(folders)) if folders else None
    if spec is None:
        raise ImportError(f"找不到模块 {module}")
    if spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(spec.origin).parent


def _other_finders_spec(name: str) -> Optional[ModuleSpec]:
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        if finder is not PathFinder and find_spec is not None:
            spec = find_spec(name, None)
            if spec is not None:
                return spec
    return None


def _declared_entry_points(path: Tuple[str, ...]) -> List[Tuple[str, str, str]]:
    """(distribution, name, value) of each entry point in our group, in sys.path order.

    Reading every installed distribution's metadata costs 5–10 ms a process; the answer is kept in
    drafter's cache under the time stamps of the distributions' entry_points.txt files, which any
    install, upgrade or removal changes.
    """
    key = cache.digest(["entry-points"] + _metadata_stamps(path))
    return cache.remember("entry-points", key, _read_entry_points, lambda value: isinstance(value, list) and all(
        isinstance(point, tuple) and len(point) == 3 and all(isinstance(p, str) for p in point) for point in value))


def _metadata_stamps(path: Tuple[str, ...]) -> List[str]:
    stamps = []
    for entry in path:
        stamps.append(entry)
        try:
            if not os.path.isdir(entry or "."):
                stamps.append(str(os.stat(entry).st_mtime_ns))  # a zip archive on sys.path
                continue
            with os.scandir(entry or ".") as listing:
                names = sorted(e.name for e in listing if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        for name in names:
            try:
                stat = os.stat(os.path.join(entry or ".", name, "entry_points.txt"))
            except OSError:
                continue
            stamps.append(f"{name}:{stat.st_mtime_ns}:{stat.st_size}")
    return stamps


def _read_entry_points() -> List[Tuple[str, str, str]]:
    from importlib import metadata

    found = metadata.entry_points()
    if hasattr(found, "select"):  # Python 3.10+
        points = [(point.dist.name if point.dist else point.name, point)
                  for point in found.select(group=ENTRY_POINT_GROUP)]
    else:  # Python 3.9: a dict of groups whose entry points do not know their distribution
        points = [(dist.metadata["Name"], point) for dist in metadata.distributions()
                  for point in dist.entry_points if point.group == ENTRY_POINT_GROUP]
    return [(dist, point.name, point.value) for dist, point in points]
