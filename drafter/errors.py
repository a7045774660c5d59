"""Problems found in a fact sheet, a schema or a template, reported to staff in Chinese.

Every stage raises :class:`DrafterError` carrying all the problems it found, so the CLI can print
them in one go (``file:line:col: 字段路径: 说明``) and exit with code 1 instead of a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence


@dataclass(frozen=True)
class Problem:
    """One finding, located as precisely as the stage that found it can."""

    message: str
    file: Optional[str] = None
    line: Optional[int] = None  # 1-based
    column: Optional[int] = None  # 1-based
    path: Optional[str] = None  # field path as the writer typed it, e.g. 工作领域[2].要点[1].内容

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        path = f"{self.path}: " if self.path else ""
        return f"{where}{path}{self.message}"


class DrafterError(Exception):
    """Bad input (facts, schema, template, layout): exit code 1, never a traceback."""

    def __init__(self, problems: Sequence[Problem] | Problem | str):
        if isinstance(problems, (Problem, str)):
            problems = [problems]
        self.problems: List[Problem] = [
            p if isinstance(p, Problem) else Problem(p) for p in problems
        ]
        super().__init__("\n".join(str(p) for p in self.problems))


def by_position(problems: Iterable[Problem]) -> List[Problem]:
    """In the order staff read them: file, then line and column."""
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.column or 0))


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """“，是否想写“X”？” for the choice a typo most likely meant, or "" (difflib is imported only
    when a message needs it: it is not free at start-up)."""
    import difflib

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"，是否想写“{found[0]}”？" if found else ""
