"""Form schemes: which enumerators, placements and paragraphings there are, and who chooses them.

A template says what a block is (docs/outline.md); a scheme says, level by level, which enumerator
it takes (一、 （一） 1. 一是 第一 首先 一方面, none, or the sheet's own label), where it stands (a
heading paragraph, a run-in lead, or running text) and how points are paragraphed. The style's
template.yaml gives the default (``form``); the sheet's 形式 overrides it for the whole draft, one
part or one section. What there is to choose from is data: templates/forms.yaml. form.py lays an
outline out under a scheme.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .document import LEVEL_NAMES
from .errors import DrafterError, Problem, did_you_mean
from .zh import zh_numeral

VOCABULARY_FILE = "forms.yaml"
HEADING, RUN_IN = "heading", "run-in"  # placements form.py treats apart; 连写 is the rest
TOGETHER, CONTINUE = "together", "continue"  # paragraphings that join; 分段 is the rest
SENTENCE_ENDS = "。！？；：，…"
SHEET_KEYS = ("形式", "form")  # the sheet's top-level key: 形式 → style → the form of that style's drafts


@dataclass(frozen=True)
class Enumerator:
    name: str
    format: str = ""
    rank: int = 0  # GB/T 9704's heading rank (一、 1 … （1） 4); 0 for 一是, 第一, 首先…
    by_count: Optional[Dict[int, Tuple[str, ...]]] = None  # 首先/其次/最后: the whole series by how many
    example: str = ""

    def text(self, index: int, count: int) -> str:
        """The enumerator of the index-th (0-based) of count items."""
        if self.by_count is not None:
            return self.by_count[count][index]
        return self.format.format(cn=zh_numeral(index + 1), n=index + 1)

    def fits(self, count: int) -> bool:
        return self.by_count is None or count in self.by_count


@dataclass(frozen=True)
class Spec:
    """One level's form; a field left None is taken from the layer below."""

    enumerator: Optional[str] = None
    placement: Optional[str] = None
    paragraphing: Optional[str] = None
    lead_end: Optional[str] = None  # after a run-in or inline lead: 。 ， ：
    separator: Optional[str] = None  # between the items of one paragraph: 。 or ；
    label: Optional[str] = None  # how the sheet's label stands in for the enumerator: {label}：
    origin: Optional[Problem] = dataclasses.field(default=None, compare=False)  # where it was written

    def over(self, below: "Spec") -> "Spec":
        """This spec over the one below it: where it was written is where a form it makes
        unprintable is reported."""
        return Spec(*(getattr(self, name) if getattr(self, name) is not None else getattr(below, name)
                      for name in _SPEC_FIELDS), origin=self.origin or below.origin)


_SPEC_FIELDS = tuple(f.name for f in dataclasses.fields(Spec) if f.name != "origin")


@dataclass(frozen=True)
class Vocabulary:
    """templates/forms.yaml: the enumerators, placements and paragraphings there are, by every name."""

    enumerators: Dict[str, Enumerator]
    placements: Dict[str, str]  # 标题 / heading → heading
    paragraphings: Dict[str, str]
    separators: Dict[str, str]  # 分号 → ；
    lead_ends: Dict[str, str]
    levels: Dict[str, int]  # 部分 / part → 1
    defaults: Tuple[Spec, ...]  # by depth - 1
    label: str
    examples: Dict[str, str]  # every word's one-line example, for drafter templates show

    def words(self) -> Dict[str, Tuple[str, str]]:
        """Every word a spec string may hold → (field, value)."""
        table = {name: ("enumerator", name) for name in self.enumerators}
        table.update({word: ("placement", value) for word, value in self.placements.items()})
        table.update({word: ("paragraphing", value) for word, value in self.paragraphings.items()})
        table.update({word: ("separator", value) for word, value in self.separators.items()})
        return table


@functools.lru_cache(maxsize=4)
def vocabulary(folder: Optional[Path] = None) -> Vocabulary:
    """templates/forms.yaml, read once per process and kept in drafter's cache by its content."""
    from . import cache
    from .templates import builtin_templates

    path = (folder or builtin_templates()) / VOCABULARY_FILE
    try:
        key = cache.digest(["forms", path.read_bytes()])
    except OSError:
        key = None  # _read_vocabulary says what is wrong with it
    return cache.remember("forms", key, lambda: _read_vocabulary(path), lambda value: isinstance(value, Vocabulary))


def _read_vocabulary(path: Path) -> Vocabulary:
    from .facts import load_yaml

    data = load_yaml(path, "形式词表").data
    enumerators = {}
    for name, entry in data["enumerators"].items():
        name = str(name)
        counts = entry.get("by_count")
        enumerators[name] = Enumerator(name, str(entry.get("format", "")), int(entry.get("rank", 0)),
                                       {int(k): tuple(v) for k, v in counts.items()} if counts else None,
                                       str(entry.get("example", "")))

    def named(table: Dict[str, dict]) -> Dict[str, str]:
        out = {}
        for word, entry in table.items():
            out[word] = out[entry["english"]] = entry["english"]
        return out

    placements, paragraphings = named(data["placements"]), named(data["paragraphings"])
    examples = {name: e.example for name, e in enumerators.items()}
    examples.update({word: entry["example"] for table in ("placements", "paragraphings")
                     for word, entry in data[table].items()})
    levels = {}
    for depth, level in enumerate(data["levels"], 1):
        levels[level["name"]] = levels[level["english"]] = depth
    vocab = Vocabulary(enumerators, placements, paragraphings, dict(data["separators"]), dict(data["lead_ends"]),
                       levels, (), str(data["label"]), examples)
    defaults = []
    for level in data["levels"]:
        spec, problems = _spec_of(level["default"], vocab)
        if problems:
            raise DrafterError(Problem(f"形式词表的缺省形式有误：{problems[0][1]}", str(VOCABULARY_FILE)))
        defaults.append(spec.over(Spec(lead_end="。", separator="。", label=vocab.label)))
    return dataclasses.replace(vocab, defaults=tuple(defaults))


# --------------------------------------------------------------------------- schemes


Selector = Optional[Tuple[str, Any]]  # None: the whole draft; ("at", (2, 1)): 第二部分第一节; ("named", "成绩")


@dataclass(frozen=True)
class Layer:
    """Specs by depth for the whole draft or for what one selector picks, and where they were
    written (a sheet's selector that picks nothing is a mistake to point at)."""

    selector: Selector
    levels: Dict[int, Spec]
    written: Optional[Problem] = None  # file, line, column and path of the selector in the sheet

    @property
    def specificity(self) -> int:
        return 0 if self.selector is None else len(self.selector[1]) if self.selector[0] == "at" else 1


@dataclass(frozen=True)
class Scheme:
    """Layers of specs over the vocabulary's defaults: the style's, then the sheet's. The whole-draft
    layers count first, then those for one part or section; within each, the sheet's win. So the
    sheet's 节 does not undo what the style set for its 问题 part, but the sheet's 问题 does."""

    layers: Tuple[Layer, ...] = ()
    vocab: Optional[Vocabulary] = None
    _known: Dict[tuple, Spec] = dataclasses.field(default_factory=dict, compare=False, hash=False, repr=False)

    def spec(self, depth: int, position: Tuple[int, ...], names: Tuple[Optional[str], ...]) -> Spec:
        """The form of an item at this depth, position (2, 1: part two, its first section) and under
        these names; most items share one, so each is worked out once."""
        key = (depth, names, position if any(layer.selector and layer.selector[0] == "at" for layer in self.layers)
               else None)
        spec = self._known.get(key)
        if spec is None:
            vocab = self.vocab or vocabulary()
            spec = vocab.defaults[min(depth, len(vocab.defaults)) - 1]
            for layer in sorted(self.layers, key=lambda layer: layer.specificity):
                if depth in layer.levels and selects(layer.selector, position, names):
                    spec = layer.levels[depth].over(spec)
            self._known[key] = spec
        return spec

    def plus(self, other: "Scheme") -> "Scheme":
        return Scheme(self.layers + other.layers, self.vocab or other.vocab)


def selects(selector: Selector, position: Tuple[int, ...], names: Tuple[Optional[str], ...]) -> bool:
    if selector is None:
        return True
    kind, value = selector
    return value in names if kind == "named" else position[:len(value)] == value


_POSITION = re.compile(r"第([一二三四五六七八九十]{1,3})(部分|节|点)")
_SPEC_KEYS = {"序号": "enumerator", "enumerator": "enumerator", "位置": "placement", "placement": "placement",
              "分段": "paragraphing", "paragraphing": "paragraphing", "分隔": "separator", "separator": "separator",
              "领句后": "lead_end", "lead-end": "lead_end", "标签": "label", "label": "label"}
Where = Callable[[tuple], Tuple[Optional[str], Optional[int], Optional[int]]]


def read_scheme(data: Any, where: Where, path: tuple = (), vocab: Optional[Vocabulary] = None,
                from_sheet: bool = False) -> Scheme:
    """A scheme from YAML (template.yaml ``form``, or the sheet's 形式 for one style): level names to
    specs, and 第二部分 / 第一部分第三节 / an item's 名称= to the levels inside it. Mistakes are
    reported at their line, with what could be written."""
    vocab = vocab or vocabulary()
    problems: List[Problem] = []

    def place(at: tuple, message: str = "") -> Problem:
        file, line, column = where(path + at)
        return Problem(message, file, line, column, _dotted(path + at))

    def levels_of(mapping: Any, at: tuple, nested: bool) -> Dict[int, Spec]:
        levels: Dict[int, Spec] = {}
        if not isinstance(mapping, dict):
            problems.append(place(at, "应是各级的形式，如 {节: 一是 连写, 点: 无 连写 同段}"))
            return levels
        for key, value in mapping.items():
            key = str(key)
            if key in vocab.levels:
                spec, wrong = _spec_of(value, vocab)
                problems.extend(place(at + (key,) + sub, message) for sub, message in wrong)
                levels[vocab.levels[key]] = dataclasses.replace(spec, origin=place(at + (key,)))
            elif not nested and isinstance(value, dict):
                layers.append(Layer(_selector(key), levels_of(value, at + (key,), True),
                                    place(at + (key,)) if from_sheet else None))
            else:
                problems.append(place(at + (key,), f"未知的级别“{key}”{did_you_mean(key, vocab.levels) or '；'}"
                                                   f"可写：{'、'.join(LEVEL_NAMES)}" +
                                      ("" if nested else "，或“第二部分”“第一部分第三节”、某一部分的名称，后面跟各级的形式")))
        return levels

    layers: List[Layer] = []
    top = levels_of(data, (), False)
    if problems:
        raise DrafterError(problems)
    return Scheme((Layer(None, top, place(()) if from_sheet else None),) + tuple(layers), vocab)


def _selector(key: str) -> Selector:
    """第二部分第一节 → ("at", (2, 1)); anything else names an item ({名称=成绩})."""
    found = _POSITION.findall(key)
    if found and "".join(f"第{n}{unit}" for n, unit in found) == key:
        values = {zh_numeral(n): n for n in range(1, 100)}
        numbers = tuple(values.get(n) for n, _ in found)
        if None not in numbers:
            return ("at", numbers)
    return ("named", key)


def _spec_of(value: Any, vocab: Vocabulary) -> Tuple[Spec, List[Tuple[tuple, str]]]:
    """A level's spec from “一是 连写 同段” (words in any order, spaces optional) or a mapping
    {序号: 一是, 位置: 连写, 分段: 同段, 分隔: 分号, 领句后: 逗号, 标签: “{label}”}; mistakes as
    (where under the level, message)."""
    wrong: List[Tuple[tuple, str]] = []
    fields: Dict[str, Optional[str]] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            name = _SPEC_KEYS.get(str(key))
            if name is None:
                wrong.append(((key,), f"未知的项“{key}”{did_you_mean(str(key), _SPEC_KEYS) or '；'}"
                                      "可写：序号、位置、分段、分隔、领句后、标签"))
                continue
            item = "" if item is None else str(item)
            if name == "label":  # kept as written: “{label}　” ends in an ideographic space
                if "{label}" not in item:
                    wrong.append(((key,), f"标签的写法应含“{{label}}”，如“{vocab.label}”"))
                else:
                    fields[name] = item
                continue
            item = item.strip()
            table = {"enumerator": {n: n for n in vocab.enumerators}, "placement": vocab.placements,
                     "paragraphing": vocab.paragraphings,
                     "separator": {**vocab.separators, **{v: v for v in vocab.separators.values()}},
                     "lead_end": {**vocab.lead_ends, **{v: v for v in vocab.lead_ends.values()}}}[name]
            if item in table:
                fields[name] = table[item]
            else:
                choices = " ".join(w for w in table if not w.isascii() or name == "enumerator")
                wrong.append(((key,), f"{key}不能是“{item}”（可写：{choices}）"))
    elif isinstance(value, str) and value.strip():
        words = vocab.words()
        text = re.sub(r"\s+", " ", value.strip())
        pos = 0
        while pos < len(text):
            if text[pos] == " ":
                pos += 1
                continue
            match = max((w for w in words if text.startswith(w, pos)), key=len, default=None)
            if match is None:
                rest = text[pos:].split(" ")[0]
                wrong.append(((), f"不认识“{rest}”（序号：{' '.join(vocab.enumerators)}；位置：标题 领句 连写；"
                                  "分段：分段 同段 接上段；分隔：句号 分号）"))
                break
            name, item = words[match]
            fields[name] = item
            pos += len(match)
    else:
        wrong.append(((), "应是一行形式，如“一是 连写 同段”，或 {序号: 一是, 位置: 连写}"))
    return Spec(**fields), wrong


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


# --------------------------------------------------------------------------- who chooses


def scheme_for(pack: Any, sheet: Any = None, styles: Callable[[], Sequence[str]] = tuple) -> Scheme:
    """The style's default form (template.yaml ``form``), then the sheet's 形式 for this style.
    ``styles`` names every style there is: a 形式 key naming none of them is a typo to report."""
    scheme = Scheme(vocab=vocabulary())
    if pack.form is not None:
        meta = pack.meta
        scheme = scheme.plus(read_scheme(pack.form, lambda p: (meta.path, *meta.where(p, at_key=True)), ("form",)))
    if sheet is None or not isinstance(sheet.data, dict):
        return scheme
    key = next((k for k in SHEET_KEYS if k in sheet.data), None)
    forms = sheet.data.get(key) if key else None
    if forms is None:
        return scheme
    if not isinstance(forms, dict):
        line, column = sheet.where((key,), at_key=True)
        raise DrafterError(Problem("应按样式写，如“形式: {汇报发言: {节: 一是 连写}}”", sheet.path, line, column, key))
    ours = (pack.title, pack.style)
    for name, value in forms.items():
        if str(name) in ours:
            scheme = scheme.plus(read_scheme(value, lambda p: (sheet.path, *sheet.where(p, at_key=True)),
                                             (key, name), from_sheet=True))
        elif str(name) not in styles():
            line, column = sheet.where((key, name), at_key=True)
            raise DrafterError(Problem(f"没有叫“{name}”的样式{did_you_mean(str(name), styles()) or '；'}"
                                       "“形式”下面按样式的中文名或英文名写（drafter templates 列出全部样式）",
                                       sheet.path, line, column, f"{key}.{name}"))
    return scheme


# --------------------------------------------------------------------------- what a style offers


def describe(pack: Any) -> List[Any]:
    """The style's form and everything it could be, each with a one-line example: for
    drafter templates show, which sets the (word, example) rows as tables."""
    scheme = scheme_for(pack)
    vocab = scheme.vocab or vocabulary()
    depths = _levels_written(pack)
    if not depths:
        return ["形式：这个样式的提纲没有分级的项（## 部分、### 节……），没有可选的形式"]
    example = LEVEL_NAMES[depths[-1] - 1]
    lines = [f"形式（这个样式有：{'、'.join(LEVEL_NAMES[d - 1] for d in depths)}；缺省如下，事实表写"
             f"“形式: {{{pack.title}: {{{example}: 一是 连写 同段}}}}”可改，见 docs/forms.md）："]
    for depth in depths:
        lines.append(f"  {LEVEL_NAMES[depth - 1]}：{_spoken(vocab, scheme.spec(depth, (1,) * depth, (None,) * depth))}")
    for layer in scheme.layers:
        selector, levels = layer.selector, layer.levels
        if selector is not None:
            where = f"名称={selector[1]}的部分" if selector[0] == "named" else \
                "".join(f"第{n}{unit}" for n, unit in zip(selector[1], LEVEL_NAMES))
            lines.append(f"  {where}里：" + "；".join(f"{LEVEL_NAMES[d - 1]} {_spoken(vocab, spec)}"
                                                     for d, spec in sorted(levels.items())))
    lines.append("可选的序号：")
    lines += [(name, entry.example) for name, entry in vocab.enumerators.items()]
    lines.append("可选的位置：")
    lines += [(word, vocab.examples[word]) for word in vocab.placements if not word.isascii()]
    lines.append("可选的分段：")
    lines += [(word, vocab.examples[word]) for word in vocab.paragraphings if not word.isascii()]
    lines.append("同一段里各项之间：" + "、".join(vocab.separators) + "；给了“标签”的项，标签代替序号：" + vocab.label)
    return lines


def _levels_written(pack: Any) -> List[int]:
    """The levels (## 1 … ##### 4) the style's outline and its kind's fragments write items at."""
    depths = set()
    for path in [pack.outline] + [p for folder in pack.kind_folders for p in sorted(folder.glob("*.j2"))]:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        depths.update(len(m.group(1)) - 1 for m in _ITEM_LINE.finditer(text))
    return sorted(depths)


_ITEM_LINE = re.compile(r"^[ \t]*(#{2,5})(?=[ \t]|$)", re.MULTILINE)


def _spoken(vocab: Vocabulary, spec: Spec) -> str:
    words = [spec.enumerator or "", _word(vocab.placements, spec.placement),
             _word(vocab.paragraphings, spec.paragraphing)]
    if spec.separator == "；":
        words.append("分号")
    return " ".join(w for w in words if w)


def _word(table: Dict[str, str], value: Optional[str]) -> str:
    return next((word for word, v in table.items() if v == value and not word.isascii()), value or "")
