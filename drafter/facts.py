"""Reading fact sheets (and our other YAML files) with a position for every node.

Facts are written exactly as they must appear in the document, so a fact sheet's scalars stay the
text the writer typed (``4.50``, ``0012``, ``2024-13-40``); only the validator decides types. Every
node's line and column is kept so that any later stage can point staff at the exact spot.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

import yaml

from . import characters
from .errors import DrafterError, Problem, by_position
from .textfile import LINE_BREAK, decode, read_bytes

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"

#: Keys and values a file may hold: 10,000 work areas are ~300,000; more is the wrong file, and
#: composing it would take minutes and gigabytes.
MAX_NODES = 500_000
#: Alias expansion beyond this many nodes is treated as an attack ("billion laughs"), not a fact sheet.
MAX_ALIAS_NODES = 100_000
#: No fact is this long (a whole book is ~1,000,000 characters); Word cannot hold much longer texts.
MAX_VALUE_CHARS = 2_000_000
#: Values that say a fact is not known yet (the sample sheet asks writers to delete the line instead):
#: they are read as blanks, so that an optional one shows as 【待补】 and a required one is refused.
PLACEHOLDERS = frozenset(("暂无", "无", "没有", "暂缺", "待定", "待补", "待填", "待查", "略", "不详", "未知", "空",
                          "/", "／", "—", "——", "N/A", "n/a"))

PathTuple = Tuple[Union[str, int], ...]
Position = Tuple[int, int]


@dataclass
class FactSheet:
    """A parsed YAML file: plain data plus where every node and key was written."""

    path: str
    data: Any
    positions: Dict[PathTuple, Position]
    key_positions: Dict[PathTuple, Position]
    warnings: List[Problem] = field(default_factory=list)
    placeholders: Dict[PathTuple, str] = field(default_factory=dict)  # read as blank: path → what was written
    digest: str = ""  # sha256 of the file's bytes: a draft records which sheet it was written from

    def where(self, path: PathTuple, at_key: bool = False) -> Tuple[Optional[int], Optional[int]]:
        """(line, column) where a value was written; ``at_key`` prefers its key (for blanks and
        whole lists or mappings, whose value starts on a later line)."""
        if at_key and path in self.key_positions:
            return self.key_positions[path]
        return self.positions.get(path, (None, None))

    def blank_note(self, path: PathTuple) -> str:
        """“（“暂无”按没有填写处理）” for a value read as blank because a placeholder was written, else ""."""
        written = self.placeholders.get(path)
        return f"（“{written}”按没有填写处理）" if written is not None else ""


def load_sheet(path: Union[str, Path]) -> FactSheet:
    """A fact sheet: every scalar is kept as the exact text written (``~``/``null``/empty → None)."""
    return _load(path, "事实表", typed=False)


def load_yaml(path: Union[str, Path], what: str = "文件") -> FactSheet:
    """A schema, template.yaml or layout file: scalars get their usual YAML types (3 → int, true → bool).

    ``what`` names the kind of file in messages (e.g. 字段定义文件). Keys are always text, and a date
    YAML cannot construct stays text rather than failing.
    """
    return _load(path, what, typed=True)


def value_at(data: Any, path: PathTuple) -> Any:
    """The value at a path of keys and indices, as the loader recorded positions for it."""
    for part in path:
        data = data[part]
    return data


def format_path(path: PathTuple) -> str:
    """('工作领域', 1, '要点', 0, '内容') → 工作领域[2].要点[1].内容: staff count list items from 1."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def find_newest_sheet(folder: Union[str, Path]) -> Optional[Path]:
    """The sheet to use when none is named: highest year in the file name, then the newest file.

    Hidden files (``.2024.yaml``, editor backups) are skipped; a file name without a year ranks below
    any with one.
    """
    candidates = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return None
    for entry in entries:
        if entry.suffix.lower() not in (".yaml", ".yml") or entry.name.startswith("."):
            continue
        try:
            if not entry.is_file():
                continue
            mtime = entry.stat().st_mtime
        except OSError:
            continue
        year = max((int(y) for y in _YEAR.findall(entry.name)), default=-1)
        candidates.append((year, mtime, entry.name, entry))
    return max(candidates)[3] if candidates else None


def _nested_too_deep(text: str, limit: int = 1_000) -> bool:
    """Tens of thousands of nested [ or { crash libyaml's parser outright (the process dies, no
    exception to catch), so they are counted before it sees them; ordinary sheets have a handful."""
    if text.count("[") + text.count("{") < limit:
        return False
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest >= limit


def _too_many_nodes(text: str) -> Optional[Position]:
    """Where the node past MAX_NODES starts, or None. Every node but the first needs one of the
    characters counted (at most three nodes each: ``{a, b}``), so ordinary files skip the exact count."""
    if 1 + 3 * sum(text.count(char) for char in ":-,[{?") <= MAX_NODES:
        return None
    count = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            count += 1
            if count > MAX_NODES:
                return _position(event.start_mark)
    return None


def _load(path: Union[str, Path], what: str, typed: bool) -> FactSheet:
    file = str(path)
    raw = read_bytes(path, what)
    text, warnings = decode(raw, file)
    if _nested_too_deep(text):
        raise DrafterError(Problem(f"{what}嵌套层数太多，无法读取", file))
    try:
        crowded = _too_many_nodes(text)
        if crowded is not None:
            raise DrafterError(Problem(f"内容过多：超过 {MAX_NODES} 项（字段名和值），{what}不会有这么多内容，"
                                       "请检查是否选错了文件或重复粘贴了大段内容（从这里起超出）", file, *crowded))
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        raise DrafterError(_syntax_problem(error, text, file)) from None
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL_TAG):
        raise DrafterError(Problem(f"{what}是空的", file))
    if not isinstance(root, yaml.MappingNode):
        kind = "列表" if isinstance(root, yaml.SequenceNode) else "一段文字"
        raise DrafterError(
            Problem(
                f"{what}的最外层应是“字段: 值”形式的映射，实际是{kind}",
                file,
                *_position(root.start_mark),
            )
        )
    builder = _Builder(file, text, typed)
    try:
        data = builder.build(root, ())
    except RecursionError:
        raise DrafterError(Problem(f"{what}嵌套层数太多，无法读取", file)) from None
    if builder.problems:
        raise DrafterError(by_position(builder.problems))
    return FactSheet(file, data, builder.positions, builder.key_positions, warnings,
                     digest="sha256:" + hashlib.sha256(raw).hexdigest())


def _position(mark: Any) -> Position:
    return mark.line + 1, mark.column + 1


class _Builder:
    """Turns composed nodes into plain data, recording positions, duplicates and alias expansion."""

    def __init__(self, file: str, text: str, typed: bool):
        self.file = file
        self.text = text
        self.typed = typed
        self.positions: Dict[PathTuple, Position] = {}
        self.key_positions: Dict[PathTuple, Position] = {}
        self.problems: List[Problem] = []
        self.expanded = 0  # nodes built again through an alias
        self.expanding: set = set()  # ids of collections being built: an alias back into one is a cycle
        self.built: set = set()  # ids of collections built once: meeting one again is an alias
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: PathTuple, aliased: bool = False) -> Any:
        """``aliased``: inside content built before, whose keys and values were checked then."""
        if not isinstance(node, yaml.ScalarNode):
            aliased = aliased or id(node) in self.built
            self.built.add(id(node))
        if aliased:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_NODES:
                raise DrafterError(Problem(
                    f"内容过多：展开别名（*名称）后超过 {MAX_ALIAS_NODES} 项，可能是别名层层引用造成的，请检查文件",
                    self.file))
        self.positions[path] = _position(node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar(node)
            if isinstance(value, str) and not aliased:
                self._check_value(value, node, path)
            return value
        if id(node) in self.expanding:
            raise DrafterError(
                Problem(
                    "别名（*名称）引用了包含它自己的内容，无法展开",
                    self.file,
                    *_position(node.start_mark),
                    format_path(path),
                )
            )
        self.expanding.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, path + (index,), aliased) for index, item in enumerate(node.value)]
            return self._mapping(node, path, aliased)
        finally:
            self.expanding.discard(id(node))

    def _check_value(self, value: str, node: yaml.ScalarNode, path: PathTuple) -> None:
        """Characters nobody can see or a Word file cannot hold (escapes like "\\x01" in quotes make
        them too), reported at the character itself when it was not escaped; and values longer than
        any fact."""
        if len(value) > MAX_VALUE_CHARS:
            self.problems.append(Problem(
                f"这一项有 {len(value)} 个字符，超过 {MAX_VALUE_CHARS} 个的上限：一项事实不会这么长，"
                "请检查是否误粘贴了整份文件", self.file, *_position(node.start_mark), format_path(path)))
        found = characters.in_value(value)
        if found is None:
            return
        index, message = found
        line, column = _position(node.start_mark)
        at = self.text.find(value[index], node.start_mark.index, node.end_mark.index)
        if at >= 0:
            lines = LINE_BREAK.split(self.text[node.start_mark.index:at])
            line, column = line + len(lines) - 1, (column if len(lines) == 1 else 1) + len(lines[-1])
        self.problems.append(Problem(message, self.file, line, column, format_path(path)))

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _NULL_TAG:
            return None
        if not self.typed:
            return node.value
        try:
            return self.constructor.construct_object(node)
        except (ValueError, yaml.YAMLError):
            return node.value  # e.g. an impossible date or an unknown !tag: keep what was written

    def _mapping(self, node: yaml.MappingNode, path: PathTuple, aliased: bool) -> Dict[str, Any]:
        report = not aliased  # an alias repeats a mapping already reported
        result: Dict[str, Any] = {}
        for key_node, value_node in node.value:
            where = (self.file, *_position(key_node.start_mark))
            if key_node.tag == _MERGE_TAG:
                if report:
                    self.problems.append(
                        Problem("不支持合并键“<<”，请把要合并的字段直接写出来", *where, format_path(path))
                    )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                if report:
                    self.problems.append(
                        Problem("字段名不能是列表或映射（是否漏写了冒号或多写了“?”）", *where, format_path(path))
                    )
                continue
            key = key_node.value
            key_path = path + (key,)
            odd = characters.in_key(key) if report else None
            if odd:
                self.problems.append(Problem(odd, *where, format_path(path) or None))
            if key in result:
                if report:
                    first_line = self.key_positions[key_path][0]
                    self.problems.append(
                        Problem(f"重复的字段（第 {first_line} 行已有同名字段）", *where, format_path(key_path))
                    )
                continue
            self.key_positions[key_path] = where[1:]
            result[key] = self.build(value_node, key_path, aliased)
        return result


_MISSING_COLON = "这一行缺少冒号：应写成“字段: 值”（冒号后加一个空格）；也可能是上一行的引号没有闭合或缩进不一致"

# (words found in PyYAML's or libyaml's "context problem", report at the context mark?, explanation)
_SYNTAX_HINTS = (
    ("mapping values are not allowed", False,
     "冒号后缺少空格或缩进不一致：值里含有“: ”（冒号加空格）时请给整个值加引号，否则请检查这一行与上一行的缩进"),
    ("could not find expected ':'", True, _MISSING_COLON),
    ("quoted scalar found unexpected end of stream", True,
     "引号没有闭合：从这里开始的引号直到文件末尾都没有配对的结束引号"),
    ("unknown escape character", False,
     "双引号里的反斜杠“\\”后面跟了无效的字符：请把“\\”写成“\\\\”，或改用单引号"),
    ("block mapping", False,
     "缩进不一致，或这一行有多余的内容：同一级的字段应左端对齐；值以引号开头时，整个值都要写在引号里"),
    ("block collection", False, "列表缩进不一致：同一列表的每一项都应以同样缩进的“- ”开头"),
    ("flow sequence", True, "方括号“[ ]”没有配对，或各项之间缺少英文逗号"),
    ("flow mapping", True, "花括号“{ }”没有配对，或各项之间缺少英文逗号"),
    ("cannot start any token", False, "这个字符不能出现在值的开头（如 @ ` %）：请给整个值加引号"),
    ("scanning an alias", False,
     "“*”在 YAML 里表示别名，名称只能用英文字母、数字、“-”和“_”；值以“*”开头时请给整个值加引号"),
    ("scanning an anchor", False,
     "“&”在 YAML 里表示锚点，名称只能用英文字母、数字、“-”和“_”；值以“&”开头时请给整个值加引号"),
    ("undefined alias", False, "引用了未定义的别名：“*名称”之前必须先用“&名称”定义"),
    ("duplicate anchor", False, "锚点名称重复：同一个“&名称”只能定义一次"),
    ("single document", False, "文件里只能有一份内容：请删除多余的“---”分隔线"),
)


def _line_without_colon_above(lines: List[str], mark: Any) -> Optional[Tuple[int, int]]:
    """(line, column) of a field written without its colon just above where PyYAML stopped: it reads
    “全称 中共……” as text continuing the field before and only complains at the next “简称: ……”."""
    for index in range(min(mark.line, len(lines)) - 1, -1, -1):
        content = lines[index].split(" #")[0].rstrip()
        if not content.strip() or content.lstrip().startswith("#"):
            continue
        indent = len(content) - len(content.lstrip(" "))
        if indent == mark.column and ":" not in content and not content.lstrip().startswith("-"):
            return index, indent
        return None
    return None


def _syntax_problem(error: yaml.YAMLError, text: str, file: str) -> Problem:
    """One Chinese Problem at the spot PyYAML complains about; the English original stays in brackets."""
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        # A ReaderError: a control character YAML refuses. Its reported offset counts bytes in
        # libyaml and characters in PyYAML, so find the character ourselves.
        found = yaml.reader.Reader.NON_PRINTABLE.search(text)
        if found is None:
            return Problem(f"YAML 格式错误（{error}）", file)
        before = LINE_BREAK.split(text[: found.start()])
        return Problem(
            f"有不可见的控制字符 U+{ord(found.group()):04X}（常见于从 Word 或网页复制的文字），请删除它",
            file,
            len(before),
            len(before[-1]) + 1,
        )
    problem = error.problem or ""
    context = getattr(error, "context", None) or ""
    lines = LINE_BREAK.split(text)
    line_text = lines[mark.line] if mark.line < len(lines) else ""
    if "\t" in line_text[: mark.column + 1] or "tab" in problem:
        return Problem(
            f"这一行有制表符（Tab）：请用空格缩进，不要用制表符（Tab）（{problem}）", file, *_position(mark)
        )
    words = f"{context} {problem}"
    above = _line_without_colon_above(lines, mark)
    if "block mapping" in words and above is not None:
        return Problem(f"{_MISSING_COLON}（{problem}）", file, above[0] + 1, above[1] + 1)
    for needle, at_context, explanation in _SYNTAX_HINTS:
        if needle in words:
            if at_context and getattr(error, "context_mark", None) is not None:
                mark = error.context_mark
            return Problem(f"{explanation}（{problem}）", file, *_position(mark))
    return Problem(f"YAML 格式错误（{problem}）", file, *_position(mark))
