"""Packages: the minimal .docx python-docx lays a profile out in, and zipping a package's parts.

The stock default.docx carries a 351 KB styles.xml (US Letter, ja-JP theme language, ~160 styles)
that every draft would parse and then undo; this package has only what drafter styles itself, so
laying a profile out costs a fraction (reference/performance.md). No theme part: every style names
its fonts, so nothing can fall back to a theme's Japanese face.

A draft changes two parts of its laid-out package; the others are compressed once and reused, so
zipping is drafter's own few lines: zipfile compresses every part it writes.
"""
from __future__ import annotations

import datetime
import functools
import io
import struct
import zipfile
import zlib
from typing import List, Optional, Sequence, Tuple

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"

PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
        f'<Override PartName="/word/styles.xml" ContentType="{_CT}.styles+xml"/>'
        f'<Override PartName="/word/settings.xml" ContentType="{_CT}.settings+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="word/document.xml"/>'
        '</Relationships>'),
    "word/_rels/document.xml.rels": (
        f'<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_R}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{_R}/settings" Target="settings.xml"/>'
        '</Relationships>'),
    "word/document.xml": (
        f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body><w:sectPr/></w:body></w:document>'),
    "word/styles.xml": (
        f'<w:styles xmlns:w="{_W}"><w:docDefaults/>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        '<w:unhideWhenUsed/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
        '</w:styles>'),
    "word/settings.xml": (
        f'<w:settings xmlns:w="{_W}"><w:defaultTabStop w:val="420"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
        ' w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>'),
}


@functools.lru_cache(maxsize=1)
def base_package() -> bytes:
    """The package bytes, built once per process."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in PARTS.items():
            package.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)
    return out.getvalue()


class Part:
    """One part of a package: its name, its bytes, and their deflated form, made once."""

    __slots__ = ("name", "data", "_deflated")

    def __init__(self, name: str, data: bytes):
        self.name, self.data = name, data
        self._deflated: Optional[Tuple[int, bytes]] = None

    def deflated(self) -> Tuple[int, bytes]:
        """(CRC-32, raw deflate stream)."""
        if self._deflated is None:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            self._deflated = zlib.crc32(self.data), compressor.compress(self.data) + compressor.flush()
        return self._deflated


_DOS_DATE = (2000 - 1980) << 9 | 1 << 5 | 1  # 2000-01-01 00:00: the entries' time says nothing of the draft's


def zip_parts(parts: Sequence[Part]) -> bytes:
    """The parts as a .docx (a deflated zip, in order; no ZIP64: a draft is far below 4 GB)."""
    out, directory = bytearray(), bytearray()
    for part in parts:
        name = part.name.encode("utf-8")
        flags = 0 if part.name.isascii() else 0x800  # UTF-8 names
        crc, data = part.deflated()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, 0, _DOS_DATE, crc, len(data),
                           len(part.data), len(name), 0) + name + data
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 8, 0, _DOS_DATE, crc, len(data),
                                 len(part.data), len(name), 0, 0, 0, 0, 0, offset) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(out), 0)
    return bytes(out + directory + end)


RELATIONSHIP_TYPES = _R + "/"
COMMENTS_PART = "word/comments.xml"
COMMENTS_TYPE = f"{_CT}.comments+xml"


def with_part(parts: Sequence[Part], new: Part, content_type: Optional[str] = None,
              relationship: Optional[Tuple[str, str, str]] = None) -> List[Part]:
    """The parts with ``new`` added: its content type (an .xml part needs none of its own) and the
    document's relationship to it, (id, type's last word such as comments, target), as Word names them."""
    out = []
    for part in parts:
        data = part.data
        if part.name == "[Content_Types].xml" and content_type:
            data = data.replace(b"</Types>", f'<Override PartName="/{new.name}" ContentType="{content_type}"/>'
                                             "</Types>".encode("utf-8"))
        elif part.name == "word/_rels/document.xml.rels" and relationship:
            rel_id, kind, target = relationship
            data = data.replace(b"</Relationships>", f'<Relationship Id="{rel_id}" Type="{RELATIONSHIP_TYPES}{kind}" '
                                                     f'Target="{target}"/></Relationships>'.encode("utf-8"))
        out.append(part if data is part.data else Part(part.name, data))
    return out + [new]


def timestamp() -> str:
    """Now, as OOXML dates it (w:date of a comment or a tracked change, dcterms:modified)."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_parts(package: bytes) -> list:
    """A zipped package's parts, in order. Raises zipfile.BadZipFile, KeyError and the like."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        return [Part(info.filename, source.read(info)) for info in source.infolist()]
