"""Reading a drafted .docx back for tests: each paragraph's style and text, from the XML itself."""
import zipfile
from pathlib import Path
from typing import List, Optional, Tuple

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def styled_paragraphs(docx: Path) -> List[Tuple[Optional[str], str]]:
    """[(paragraph style id or None for 正文, text)] of the body, in order."""
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    paragraphs = []
    for p in root.iter(f"{{{W}}}p"):
        style = p.find(f"{{{W}}}pPr/{{{W}}}pStyle")
        paragraphs.append((style.get(f"{{{W}}}val") if style is not None else None,
                           "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))))
    return paragraphs
