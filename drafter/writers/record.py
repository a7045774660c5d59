"""What a draft records of the facts it printed: a custom XML part (Word and LibreOffice keep it, and
nobody sees it) naming the sheet and its digest, the command that drafted it, and for each fact's
bookmark the field it came from, the sheet's value and the text printed. With it drafter can tell a
draft written from an older sheet, say which facts changed, and refresh them in place.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..document import Fact
from .package import Part, with_part
from .styles import quoteattr as _quote
from .styles import xml_text

NAMESPACE = "urn:drafter:record:1"
PART = "customXml/item1.xml"
PROPS = "customXml/itemProps1.xml"
PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
ITEM_ID = "{4D7C2E55-2B8A-4E1F-9C3B-6A0D5F1E7B21}"


class RecordedFact:
    """One fact's bookmark: the field's path in the sheet (as written), the text drafter put there (a
    title's line break included) and the sheet's value at the time. Plain classes here: a dataclass
    costs the start-up of every draft a millisecond or more."""

    __slots__ = ("anchor", "key", "printed", "value")

    def __init__(self, anchor: str, key: Tuple[Any, ...], printed: str, value: str):
        self.anchor, self.key, self.printed, self.value = anchor, key, printed, value


class Record:
    """The sheet (its path as the draft command was given it, and the sha256 of its bytes), the
    command that drafted it, and the facts in anchor order."""

    __slots__ = ("sheet", "digest", "kind", "style", "event", "layout", "facts", "part")

    def __init__(self, sheet: str, digest: str, kind: str, style: str, event: Optional[str] = None,
                 layout: Optional[str] = None, facts: Tuple[RecordedFact, ...] = (), part: str = PART):
        self.sheet, self.digest, self.kind, self.style = sheet, digest, kind, style
        self.event, self.layout, self.facts = event, layout, facts
        self.part = part  # the package part that holds it (a round trip may rename it)

    def command(self, output: str = "新.docx") -> str:
        """The drafting command that writes this draft afresh (for a comparison)."""
        words = ["drafter", self.kind, self.sheet, "--style", self.style]
        if self.event:
            words += ["--event", self.event]
        if self.layout:
            words += ["--layout", self.layout]
        return " ".join(_shell_word(word) for word in words + ["-o", output])


def _shell_word(word: str) -> str:
    return word if word and all(c.isalnum() or c in "/._-:" or ord(c) > 127 for c in word) else "'" + word.replace(
        "'", "'\\''") + "'"


def with_record(parts: List[Part], record: Record) -> List[Part]:
    """The package's parts with the record part added and registered."""
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    props = (f'{declaration}<ds:datastoreItem ds:itemID="{ITEM_ID}" '
             'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs>'
             f'<ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>')
    rels = (f'{declaration}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/customXmlProps" '
            f'Target="itemProps1.xml"/></Relationships>')
    out = with_part(parts, Part(PART, record_xml(record).encode("utf-8")),
                    relationship=("rIdDrafterRecord", "customXml", f"../{PART}"))
    out = with_part(out, Part(PROPS, props.encode("utf-8")), PROPS_TYPE)
    return out + [Part("customXml/_rels/item1.xml.rels", rels.encode("utf-8"))]


def recorded(record: Record, facts: Sequence[Fact], values: Dict[Tuple[Any, ...], str]) -> Record:
    """The record with the facts a draft anchored, in anchor order (names from writers.docx)."""
    from .docx import ANCHOR_PREFIX

    return Record(record.sheet, record.digest, record.kind, record.style, record.event, record.layout,
                  tuple(RecordedFact(f"{ANCHOR_PREFIX}{number}", tuple(fact.source.key), fact.text,
                                     values.get(tuple(fact.source.key), ""))
                        for number, fact in enumerate(facts)))


def record_xml(record: Record) -> str:
    attributes = {"sheet": record.sheet, "digest": record.digest, "kind": record.kind, "style": record.style,
                  "event": record.event or "", "layout": record.layout or ""}
    head = " ".join(f"{name}={_quote(value)}" for name, value in attributes.items())
    facts = "".join(
        f'<fact anchor={_quote(fact.anchor)} path={_quote(_json_path(fact.key))}>'
        f"<printed>{xml_text(fact.printed)}</printed><value>{xml_text(fact.value)}</value></fact>"
        for fact in record.facts)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<drafter xmlns="{NAMESPACE}" {head}>{facts}</drafter>'


def _json_path(key: Tuple[Any, ...]) -> str:
    """A field's path as a JSON array, written by hand: the json module is not worth its start-up here."""
    def item(step: Any) -> str:
        if isinstance(step, int):
            return str(step)
        escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 else c for c in str(step).replace("\\", "\\\\").replace('"', '\\"'))
        return f'"{escaped}"'
    return "[" + ", ".join(item(step) for step in key) + "]"


def read_record(parts: Dict[str, bytes]) -> Optional[Record]:
    """The record among a package's custom XML parts (their names may change in a round trip), or None."""
    import json

    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for name, data in parts.items():
        if not name.startswith("customXml/") or "/_rels/" in name or NAMESPACE.encode() not in data:
            continue
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            continue
        if root.tag != f"{{{NAMESPACE}}}drafter":
            continue
        facts = []
        for element in root.iter(f"{{{NAMESPACE}}}fact"):
            try:
                key = tuple(json.loads(element.get("path", "[]")))
            except ValueError:
                continue
            facts.append(RecordedFact(element.get("anchor", ""), key,
                                      element.findtext(f"{{{NAMESPACE}}}printed") or "",
                                      element.findtext(f"{{{NAMESPACE}}}value") or ""))
        return Record(root.get("sheet", ""), root.get("digest", ""), root.get("kind", ""), root.get("style", ""),
                      root.get("event") or None, root.get("layout") or None, tuple(facts), name)
    return None
