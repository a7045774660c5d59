"""Layout profiles: how a Document looks on the page, as YAML data that may extend another profile.

A house style is a profile with `extends: gbt9704` and the few values it changes; writers ask the
resolved Layout for page geometry, paragraph and character styles and heading numbers.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Dict, List, Optional, Sequence, Tuple

from . import cache
from .errors import DrafterError, Problem
from .templates import PACK_NAME
from .textfile import read_bytes
from .title_breaks import TitleBreaker

# Style properties a profile may set, with the Python types they must have.
STYLE_KEYS = {
    "name": str, "font": str, "latin_font": str, "size": (int, float), "bold": bool,
    "line": int, "char_spacing": (int, float), "first_line_chars": (int, float),
    "right_chars": (int, float), "align": str, "space_before": int, "space_after": int,
    "snap_to_grid": bool, "keep_next": bool, "shading": str, "offset_chars": (int, float),
}
ALIGNMENTS = {"left", "center", "right", "justify"}
PARAGRAPH_STYLES = ("body", "title", "subtitle", "byline", "date", "salutation", "closing",
                    "signature", "signed-date", "heading1", "heading2", "heading3", "heading4")
CHARACTER_STYLES = ("run-in1", "run-in2", "run-in3", "run-in4", "placeholder")
PROFILE_SUFFIXES = (".yaml", ".yml")


@dataclass(eq=False)  # compared and hashed by identity: writers cache what they derive from one
class Layout:
    name: str
    page: Dict[str, int]
    page_number: dict
    latin_font: str
    styles: Dict[str, dict]  # role -> properties, body defaults filled in
    characters: Dict[str, dict]
    title_breaker: TitleBreaker
    fonts: Dict[str, dict] = field(default_factory=dict)  # font table: what Word or WPS puts in a missing font's place

    @property
    def text_width_pt(self) -> float:
        """Width of the 版心 (type area) in points."""
        return (self.page["width"] - self.page["margin_left"] - self.page["margin_right"]) / 20

    def title_lines(self, segments: Sequence[str]) -> List[str]:
        """A long title in even lines, broken between words (GB/T 9704 §7.3.1); segments are its
        stretches of fact and framing text."""
        return self.title_breaker.lines(segments, int(self.text_width_pt // self.styles["title"]["size"]))


def load_layout(name: str, folders: Sequence[Path], base: Optional[Path] = None) -> Layout:
    """A profile by name from the folders (later ones win), or a profile file given by its path
    (我单位.yaml, .yml), whose ``extends`` names a profile in the folders. A path is relative to
    base: the pack's folder for the layout its template.yaml names, the current folder (None) for the
    user's own --layout. Read once per process while the files are unchanged, and kept in drafter's
    cache while their content is."""
    file = profile_file(name, base)
    watched = [p for folder in folders if folder.is_dir() for p in sorted(folder.glob("*.yaml"))]
    watched += [file] if file is not None and file.is_file() else []
    files = tuple((str(p), p.stat().st_mtime_ns) for p in watched)
    return _load_layout(name, tuple(folders), files, file)


def profile_file(name: str, base: Optional[Path] = None) -> Optional[Path]:
    """The file a layout value names when it is a path rather than a profile's name; a pack's (under
    base, its folder) may be written with / or \\ on any system."""
    if not (name.endswith(PROFILE_SUFFIXES) or "/" in name or "\\" in name):
        return None
    return Path(name) if base is None else base / PureWindowsPath(name).as_posix()


def pack_layout_problem(value: str, folder: Path) -> Optional[str]:
    """Why the ``layout`` of a pack in folder cannot be used, or None. A pack names a profile or a
    .yaml file of its own, never a file elsewhere: /etc/passwd was read as a layout."""
    file = profile_file(value, folder)
    if file is None:
        return None if PACK_NAME.match(value) else "应是版式方案名（如 gbt9704），或本样式文件夹里的 .yaml 文件"
    written = PureWindowsPath(value)  # /, \\ and C: are paths on every system
    if written.anchor or ".." in written.parts:
        return "不能用绝对路径或“..”：应是版式方案名（如 gbt9704），或本样式文件夹里的 .yaml 文件（相对路径）"
    if not value.endswith(PROFILE_SUFFIXES):
        return "应是版式方案名（如 gbt9704），或本样式文件夹里以 .yaml、.yml 结尾的文件"
    try:
        inside = file.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a loop of symbolic links
        inside = False
    return None if inside else "在本样式文件夹以外（符号链接指向外面也不行）；请把版式方案文件放进本样式文件夹"


@functools.lru_cache(maxsize=16)
def _load_layout(name: str, folders: Tuple[Path, ...], files: tuple, file: Optional[Path]) -> Layout:
    import yaml  # loaded already by the sheet; its version is part of the key

    try:
        key = cache.digest(["layout", yaml.__version__, name] + [str(f) for f in folders] +
                           [part for path, _ in files for part in (path, read_bytes(path, "版式方案"))])
    except OSError:
        key = None  # _resolve reports it
    return cache.remember("layout", key, lambda: _build_layout(name, folders, file),
                          lambda value: isinstance(value, Layout))


def _build_layout(name: str, folders: Tuple[Path, ...], file: Optional[Path]) -> Layout:
    data = _resolve(name, folders, (), file)
    problems = _check(data, name)
    if problems:
        raise DrafterError(problems)
    body = data["styles"]["body"]
    styles = {role: {**body, **data["styles"].get(role, {})} if role != "body" else dict(body)
              for role in PARAGRAPH_STYLES}
    return Layout(name=Path(name).stem, page=data["page"], page_number=data["page_number"],
                  latin_font=data["latin_font"], styles=styles,
                  characters=data.get("characters", {}), title_breaker=_title_breaker(data.get("title_breaks") or {}),
                  fonts=data.get("fonts") or {})


def _title_breaker(data: dict) -> TitleBreaker:
    return TitleBreaker(*(tuple(data.get(key) or ()) for key in ("after", "before", "words", "name_endings", "never_first")))


def available_layouts(folders: Sequence[Path]) -> List[str]:
    return sorted({p.stem for folder in folders for p in folder.glob("*.yaml")})


def _resolve(name: str, folders: Sequence[Path], chain: tuple, file: Optional[Path] = None) -> dict:
    """The profile's data merged over what it extends; file: the one a path names (never an
    ``extends``, which names a profile: a path there would read any file)."""
    if name in chain:
        raise DrafterError(f"版式方案循环继承：{' → '.join(chain + (name,))}")
    if chain and not PACK_NAME.match(name):
        raise DrafterError(f"版式方案“{chain[-1]}”：extends 应是版式方案名（如 gbt9704），不能是“{name}”这样的路径")
    path = file or next((f / f"{name}.yaml" for f in reversed(folders) if (f / f"{name}.yaml").is_file()), None)
    if path is None or not path.is_file():
        known = "、".join(available_layouts(folders)) or "无"
        raise DrafterError(f"找不到版式方案“{name}”（可用：{known}）")
    from .facts import (
        load_yaml,  # the shared YAML reader gives positions and Chinese syntax errors
    )

    data = dict(load_yaml(path, "版式方案").data)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    return _merge(_resolve(str(parent), folders, chain + (name,)), data)


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


NUMBER = (int, float)
# The other parts of a profile and the types of their values.
FONT_FAMILIES = {"roman", "swiss", "modern", "script", "decorative", "auto"}  # w:family of a font table entry
SECTION_KEYS = {
    "page": {key: int for key in ("width", "height", "margin_top", "margin_bottom", "margin_left",
                                  "margin_right", "header", "footer", "line_pitch")},
    "page_number": {"enabled": bool, "format": str, "font": str, "size": NUMBER, "odd": str, "even": str,
                    "indent": int},
    "title_breaks": {"after": list, "before": list, "words": list, "name_endings": list,
                     "never_first": list},
}
TOP_KEYS = {"title", "page", "page_number", "latin_font", "title_breaks", "styles", "characters", "fonts"}


def _wrong_type(value, expected) -> bool:
    return not isinstance(value, expected) or (expected is not bool and isinstance(value, bool))


def _check(data: dict, name: str) -> List[Problem]:
    """Every value a writer will use, checked here so a mistyped profile is a message, not a crash."""
    problems = []

    def fail(message: str) -> None:
        problems.append(Problem(f"版式方案“{name}”：{message}"))

    for key in data:
        if key == "numbering":
            fail("标题序号不再由版式方案定：序号、位置和分段由形式方案决定（template.yaml 的 form、事实表的“形式”，"
                 "见 docs/forms.md），请删去 numbering")
        elif key not in TOP_KEYS:
            fail(f"未知的项“{key}”（可用：{'、'.join(sorted(TOP_KEYS))}、extends）")
    for section in ("page", "page_number", "latin_font", "styles"):
        if section not in data:
            fail(f"缺少“{section}”")
    for section, keys in SECTION_KEYS.items():
        values = data.get(section) or {}
        if not isinstance(values, dict):
            fail(f"{section} 应是“键: 值”的映射")
            continue
        for key, value in values.items():
            if key not in keys:
                fail(f"{section} 未知的属性“{key}”")
            elif _wrong_type(value, keys[key]):
                fail(f"{section}.{key} 的值“{value}”类型不对")
            elif isinstance(value, list) and not all(isinstance(word, str) and word for word in value):
                fail(f"{section}.{key} 应是词的列表（每项是一个词）")
            elif isinstance(value, NUMBER) and not isinstance(value, bool) and value < 0:
                fail(f"{section}.{key} 不能是负数")
            elif key in ("odd", "even") and value not in ALIGNMENTS - {"justify"}:
                fail(f"{section}.{key} 应为 left、center 或 right")
    if not isinstance(data.get("latin_font", ""), str):
        fail("latin_font 应是字体名")
    fonts = data.get("fonts") or {}
    if not isinstance(fonts, dict) or not all(
            isinstance(name, str) and isinstance(entry, dict) and set(entry) <= {"alt", "family"}
            and all(isinstance(value, str) for value in entry.values()) for name, entry in fonts.items()):
        fail("fonts 应是“字体名: {alt: 代替的字体, family: roman|swiss|modern|script|decorative}”的映射")
    elif any(entry.get("family", "auto") not in FONT_FAMILIES for entry in fonts.values()):
        fail(f"fonts 的 family 只能是 {'、'.join(sorted(FONT_FAMILIES))}")
    for group, allowed in (("styles", PARAGRAPH_STYLES), ("characters", CHARACTER_STYLES)):
        roles = data.get(group) or {}
        if not isinstance(roles, dict):
            fail(f"{group} 应是“样式: 属性”的映射")
            continue
        for role, props in roles.items():
            where = f"{group}.{role}"
            if role not in allowed:
                fail(f"未知的样式“{role}”（可用：{'、'.join(allowed)}）")
                continue
            if not isinstance(props or {}, dict):
                fail(f"{where} 应是“属性: 值”的映射")
                continue
            for key, value in (props or {}).items():
                expected = STYLE_KEYS.get(key)
                if expected is None:
                    fail(f"{where} 未知的属性“{key}”")
                elif _wrong_type(value, expected):
                    fail(f"{where}.{key} 的值“{value}”类型不对")
                elif key == "align" and value not in ALIGNMENTS:
                    fail(f"{where}.align 应为 {'、'.join(sorted(ALIGNMENTS))}")
                elif key in ("size", "line") and value <= 0:
                    fail(f"{where}.{key} 应大于 0")
    if not problems:
        _check_complete(data, fail)
    return problems


def _check_complete(data: dict, fail) -> None:
    """What the writers read and nothing else supplies: a profile without ``extends`` writes it all."""
    wanted = [("page", key) for key in SECTION_KEYS["page"]]
    if data["page_number"].get("enabled"):
        wanted += [("page_number", key) for key in SECTION_KEYS["page_number"]]
    body = data["styles"].get("body")
    if body is None:
        fail("缺少正文样式 styles.body")
        return
    wanted += [("styles.body", key) for key in ("font", "size", "line", "align")]
    wanted += [(f"styles.{role}", "name") for role in PARAGRAPH_STYLES if role != "body"]
    wanted += [(f"characters.{role}", "name") for role in data.get("characters") or {}]
    for where, key in wanted:
        group, _, role = where.partition(".")
        values = (data.get(group) or {}).get(role) if role else data.get(group)
        if key not in (values or {}):
            fail(f"{where} 缺少 {key}")
