"""What 核稿 reports: one finding, where it is, how sure, and on whose authority."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

ERROR, DOUBT, HINT = "错误", "疑误", "提示"
SEVERITIES = (ERROR, DOUBT, HINT)

# Where a rule comes from. Common practice is never worded as a rule.
GB15834 = "GB/T 15834—2011 标点符号用法"
GB15835 = "GB/T 15835—2011 出版物上数字用法"
GB9704 = "GB/T 9704—2012 党政机关公文格式"
REGULATIONS = "《党政机关公文处理工作条例》"
SHEET = "事实表"
PRACTICE = "常见做法"


@dataclass(frozen=True)
class Finding:
    paragraph: int  # ReadParagraph.number; 0 for the whole document
    severity: str  # ERROR, DOUBT or HINT
    source: str  # GB15834 … PRACTICE
    rule: str  # short stable id, e.g. "punct.halfwidth-comma"
    message: str  # Chinese, for staff
    excerpt: str = ""  # the few characters around what was found
    start: Optional[int] = None  # offset of what was found in ReadParagraph.full_text
    end: Optional[int] = None
    fix: Optional[str] = None  # a mechanical replacement for full_text[start:end] (--fix), or None


def at(paragraph, severity: str, rule: str, message: str, start: int, end: int, fix: Optional[str] = None, *,
       source: str) -> Finding:
    """A finding in a ReadParagraph, at full_text[start:end]: what the rule modules make."""
    return Finding(paragraph=paragraph.number, severity=severity, source=source, rule=rule, message=message,
                   start=start, end=end, fix=fix)
