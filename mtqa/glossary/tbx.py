"""TBX reading and writing: TBX-Basic / TBX v2 (``martif``) and TBX v3 (``tbx``).

The reader accepts what CAT tools export: ``termEntry``/``langSet``/``tig`` (and the older
``ntig``/``termGrp``), ``conceptEntry``/``langSec``/``termSec``, data categories in DCA style
(``<termNote type="partOfSpeech">``) and DCT style (``<basic:partOfSpeech>``). Files come from
outside, so the XML parser resolves no entities, loads no DTD, never touches the network,
refuses entity declarations (billion laughs) and keeps libxml2's size limits.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from mtqa.errors import InputError
from mtqa.glossary.model import (
    Entry,
    Glossary,
    Problem,
    Term,
    is_canonical_label,
    parse_status,
    pick_languages,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX3_NS = "urn:iso:std:iso:30042:ed-2"
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)

_STATUS_TYPES = frozenset({"administrativeStatus", "normativeAuthorization"})
_CASE_TYPES = frozenset({"caseSensitive", "x-caseSensitive"})
_DNT_TYPES = frozenset({"doNotTranslate", "x-doNotTranslate"})
_SKIPPED = frozenset({"transacGrp", "transac", "date", "transacNote"})


def _etree() -> Any:
    """lxml.etree, imported on first use (lxml ships no type information)."""
    return importlib.import_module("lxml.etree")


def _local(element: Any) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1] if "}" in tag else tag.rsplit(":", 1)[-1]


def _text(element: Any) -> str:
    return "".join(element.itertext())


def _yes(value: str) -> bool | None:
    v = value.strip().lower()
    if v in ("yes", "y", "true", "1"):
        return True
    if v in ("no", "n", "false", "0"):
        return False
    return None


def parse_xml(path: str, data: bytes) -> Any:
    """Parse untrusted XML safely; errors name the file and line."""
    etree = _etree()

    found = _ENTITY_DECL.search(data)
    if found is None and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        found = _ENTITY_DECL.search(data.decode("utf-16", errors="replace").encode("utf-8"))
    if found is not None:
        line = data.count(b"\n", 0, found.start()) + 1
        raise InputError(
            f"{path}:{line}: XML entity declarations are not allowed (refusing possible "
            "entity expansion or external entity attack)"
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        message = str(exc.msg or exc).split(f", line {line}")[0]
        raise InputError(f"{path}:{line}: malformed XML: {message}") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise InputError(f"{path}:1: XML entity declarations are not allowed")
    return root


def read_tbx(path: str, data: bytes) -> Glossary:
    """Read a TBX v2 or v3 file."""
    root = parse_xml(path, data)
    kind = _local(root)
    if kind not in ("martif", "tbx"):
        raise InputError(f"{path}:{root.sourceline}: not a TBX file (root element <{kind}>)")
    glossary = Glossary(path=path, format="tbx", tbx_version=2 if kind == "martif" else 3)
    declared = root.get(XML_LANG)
    for element in root.iter():
        name = _local(element)
        if name == "title" and glossary.title is None:
            glossary.title = _text(element).strip() or None
        elif name == "sourceDesc" and glossary.source_desc is None:
            glossary.source_desc = (
                "\n".join(" ".join(_text(p).split()) for p in element if _local(p) == "p") or None
            )
        elif name in ("termEntry", "conceptEntry"):
            glossary.entries.append(_read_entry(element, glossary))
    if not glossary.entries and root.find(".//{*}body") is None and root.find(".//body") is None:
        raise InputError(f"{path}:{root.sourceline}: TBX file has no <body>")
    glossary.source_lang, glossary.target_lang = pick_languages(glossary.languages(), declared)
    return glossary


def _read_entry(element: Any, glossary: Glossary) -> Entry:
    entry = Entry(id=element.get("id"), line=element.sourceline or 0)
    for child in element:
        name = _local(child)
        if name in ("langSet", "langSec"):
            _read_lang(child, entry, glossary)
        elif name in _SKIPPED:
            continue
        else:
            _entry_data(child, entry)
    if not entry.terms:
        glossary.problems.append(Problem(entry.line, "empty-entry", "entry has no terms"))
    return entry


def _data_category(element: Any) -> tuple[str, str] | None:
    """(data category, value) of a DCA element (``<descrip type=..>``) or a DCT element."""
    name = _local(element)
    if name in ("descripGrp", "termNoteGrp", "adminGrp"):
        for inner in element:
            found = _data_category(inner)
            if found is not None:
                return found
        return None
    if name in ("descrip", "termNote", "admin", "ref", "xref"):
        category = element.get("type") or name
        return category, _text(element)
    if name in _SKIPPED or name in (
        "term",
        "tig",
        "ntig",
        "termGrp",
        "termSec",
        "langSet",
        "langSec",
    ):
        return None
    return name, _text(element)


def _entry_data(element: Any, entry: Entry) -> None:
    found = _data_category(element)
    if found is None:
        return
    category, value = found
    if category == "subjectField":
        entry.subject = value.strip()
    elif category == "definition":
        entry.definition = value.strip()
    elif category == "note":
        entry.note = value.strip()
    elif category in _DNT_TYPES:
        entry.dnt = bool(_yes(value))
    else:
        entry.extra[category] = value.strip()


def _read_lang(element: Any, entry: Entry, glossary: Glossary) -> None:
    lang = element.get(XML_LANG) or element.get("lang") or ""
    line = element.sourceline or 0
    if not lang:
        glossary.problems.append(Problem(line, "missing-language", "langSet without xml:lang"))
        lang = "und"
    definition: str | None = None
    note: str | None = None
    first = len(entry.terms)
    for child in element:
        name = _local(child)
        if name in ("tig", "ntig", "termSec"):
            group = child
            if name == "ntig":
                group = next((c for c in child if _local(c) == "termGrp"), child)
            term = _read_term(group, lang, glossary)
            if term is not None:
                if name == "ntig":
                    _term_data_from(child, term, glossary, skip=group)
                entry.terms.append(term)
        elif name == "term":  # a bare <term> directly in langSet (some exporters)
            entry.terms.append(Term(_text(child), lang, line=child.sourceline or line))
        else:
            found = _data_category(child)
            if found is None:
                continue
            category, value = found
            if category == "definition":
                definition = value.strip()
            elif category == "note":
                note = value.strip()
            elif category == "subjectField" and not entry.subject:
                entry.subject = value.strip()
            else:
                entry.extra[f"{lang}:{category}"] = value.strip()
    for term in entry.terms[first:]:
        if definition and not term.definition:
            term.definition = definition
        if note and not term.note:
            term.note = note


def _read_term(group: Any, lang: str, glossary: Glossary) -> Term | None:
    term_el = next((c for c in group if _local(c) == "term"), None)
    if term_el is None:
        glossary.problems.append(
            Problem(group.sourceline or 0, "empty-term", f"<{_local(group)}> without <term>")
        )
        return None
    term = Term(_text(term_el), lang, line=term_el.sourceline or group.sourceline or 0)
    _term_data_from(group, term, glossary, skip=term_el)
    return term


def _term_data_from(group: Any, term: Term, glossary: Glossary, skip: Any) -> None:
    for child in group:
        if child is skip or _local(child) in ("term", "termGrp"):
            continue
        found = _data_category(child)
        if found is None:
            continue
        category, value = found
        value = value.strip()
        if category in _STATUS_TYPES:
            status = parse_status(value)
            if status is None:
                glossary.problems.append(
                    Problem(
                        child.sourceline or term.line,
                        "unknown-status",
                        f"unknown status {value!r} for term {term.text!r}",
                    )
                )
                term.status_label = value
            else:
                term.status = status
                if not is_canonical_label(value, status):
                    term.status_label = value
        elif category == "partOfSpeech":
            term.pos = value
        elif category == "termType":
            term.term_type = value
        elif category in _CASE_TYPES:
            term.case_sensitive = _yes(value)
        elif category == "note":
            term.note = value
        elif category == "definition":
            term.definition = value
        else:
            term.extra[category] = value


# ---------------------------------------------------------------------------------------------
# Writing


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    etree = _etree()

    element = etree.SubElement(parent, tag, {k.replace("__", ":"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def entry_element(entry: Entry, version: int, ns: str = "") -> Any:
    """The XML element of one entry (``termEntry`` for v2, ``conceptEntry`` for v3)."""
    etree = _etree()

    v3 = version == 3
    q = (lambda t: f"{{{ns}}}{t}") if ns else (lambda t: t)
    element = etree.Element(q("conceptEntry" if v3 else "termEntry"))
    if entry.id:
        element.set("id", entry.id)
    if entry.subject:
        _sub(element, q("descrip"), entry.subject, type="subjectField")
    if entry.definition:
        _sub(element, q("descrip"), entry.definition, type="definition")
    if entry.dnt:
        _sub(element, q("descrip"), "yes", type="doNotTranslate")
    for key, value in entry.extra.items():
        if ":" not in key:
            _sub(element, q("descrip"), value, type=key)
    if entry.note:
        _sub(element, q("note"), entry.note)
    langs = list(dict.fromkeys(t.lang for t in entry.terms))
    for lang in langs:
        lang_el = _sub(element, q("langSec" if v3 else "langSet"))
        lang_el.set(XML_LANG, lang)
        for key, value in entry.extra.items():
            if key.startswith(f"{lang}:"):
                _sub(lang_el, q("descrip"), value, type=key.split(":", 1)[1])
        for term in (t for t in entry.terms if t.lang == lang):
            group = _sub(lang_el, q("termSec" if v3 else "tig"))
            _sub(group, q("term"), term.text)
            label = term.status_label or (f"{term.status}Term-admn-sts" if term.status else None)
            if label:
                _sub(group, q("termNote"), label, type="administrativeStatus")
            if term.pos:
                _sub(group, q("termNote"), term.pos, type="partOfSpeech")
            if term.term_type:
                _sub(group, q("termNote"), term.term_type, type="termType")
            if term.case_sensitive is not None:
                _sub(
                    group,
                    q("termNote"),
                    "yes" if term.case_sensitive else "no",
                    type="caseSensitive",
                )
            for key, value in term.extra.items():
                _sub(group, q("termNote"), value, type=key)
            if term.definition:
                _sub(group, q("descrip"), term.definition, type="definition")
            if term.note:
                _sub(group, q("note"), term.note)
    return element


def write_tbx(glossary: Glossary, version: int = 2) -> bytes:
    """Serialise a glossary as TBX-Basic v2 (``martif``) or TBX v3 (``tbx``, DCA style)."""
    etree = _etree()

    v3 = version == 3
    ns = TBX3_NS if v3 else ""
    q = (lambda t: f"{{{ns}}}{t}") if ns else (lambda t: t)
    if v3:
        root = etree.Element(q("tbx"), nsmap={None: TBX3_NS})
        root.set("type", "TBX-Basic")
        root.set("style", "dca")
    else:
        root = etree.Element("martif", {"type": "TBX-Basic"})
    root.set(XML_LANG, glossary.source_lang or glossary.target_lang)
    header = _sub(root, q("tbxHeader" if v3 else "martifHeader"))
    file_desc = _sub(header, q("fileDesc"))
    if glossary.title:
        _sub(_sub(file_desc, q("titleStmt")), q("title"), glossary.title)
    source = _sub(file_desc, q("sourceDesc"))
    for paragraph in (glossary.source_desc or "Written by mtqa.").split("\n"):
        _sub(source, q("p"), paragraph)
    if not v3:
        _sub(_sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = _sub(_sub(root, q("text")), q("body"))
    for entry in glossary.entries:
        body.append(entry_element(entry, version, ns))
    etree.indent(root, space="  ")
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return out if out.endswith(b"\n") else out + b"\n"


def entry_snippet(entry: Entry, version: int, indent: str) -> str:
    """One entry as XML text indented by ``indent`` (for appending to an existing file)."""
    etree = _etree()

    element = entry_element(entry, version)
    etree.indent(element, space="  ", level=0)
    text: str = etree.tostring(element, encoding="unicode")
    return "\n".join(indent + line for line in text.splitlines())
