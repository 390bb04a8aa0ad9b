"""REFI-QDA: the exchange format of ATLAS.ti, MAXQDA, NVivo, QualCoder and Taguette.

A project (.qdpx) is a zip of `project.qde` (XML) and the sources' plain text; a codebook (.qdc) is
the code tree alone. The codebook becomes a tree of codes: each variable a code with its definition,
its categories codes beneath it. Each chat is a text source, each stored code with the words it
rests on a coding of a selection of that text, and each visitor a case with the codebook's variables
as case variables. The models are pyrefiqda's, generated from the standard's schemas.

GUIDs are derived from the codebook's and the chats' ids (uuid5), so that a second export gives
the same codes the same GUIDs and a QDA tool can match them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from zicht.codebook import NOT_CODED, Codebook, CodedCase, Value, Variable
from zicht.errors import ZichtError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ZICHT = uuid.UUID("6f1c2a57-8d0e-4c4e-9a53-2f0b7c1d9e41")  # the namespace of zicht's GUIDs


@dataclass(frozen=True)
class Source:
    """A chat as the QDA tool shows it: its plain text, already redacted for whoever exports."""

    id: str  # the conversation id
    name: str
    text: str
    started_at: dt.datetime


@dataclass(frozen=True)
class Marked:
    """A stored code and the characters of a source's text it rests on."""

    source: str
    start: int
    end: int
    variable: str
    category: str | None  # None: the variable itself (a number, a date, a flag)


@dataclass(frozen=True)
class Note:
    """A comment of an overleg on a case's variable."""

    case: str  # visitor id
    variable: str
    author: str
    at: dt.datetime
    text: str


@dataclass(frozen=True)
class Exchange:
    codebook: Codebook
    cases: Sequence[CodedCase]
    sources: Sequence[Source]
    marks: Sequence[Marked] = ()
    notes: Sequence[Note] = ()
    origin: str = "zicht"


def guid(*parts: str) -> str:
    return str(uuid.uuid5(ZICHT, "/".join(parts)))


def code_guid(book: Codebook, variable: str, category: str | None = None) -> str:
    """A variable's code, or one of its categories' beneath it."""
    return guid(book.id, variable, *([category] if category else []))


def _variable_guid(book: Codebook, variable: str) -> str:
    return guid(book.id, "variable", variable)


def _source_guid(conversation_id: str) -> str:
    return guid("source", conversation_id)


def write_qdc(codebook: Codebook) -> bytes:
    """The codebook alone, as a REFI-QDA codebook (.qdc)."""
    from pyrefiqda.models import CodeBook, CodebookCodesType, CodebookCodeType

    return _xml(CodeBook(origin="zicht", codes=CodebookCodesType(code=_code_tree(codebook, CodebookCodeType))), CODEBOOK_NS)


def write_qdpx(exchange: Exchange) -> bytes:
    """The project as a REFI-QDA project (.qdpx): the XML and each source's text in `sources/`."""
    from pyrefiqda import models as m

    book = exchange.codebook
    labels = {v.id: v.label for v in book}
    first_chat = {c.visitor_id: c.conversation_ids[0] for c in exchange.cases if c.conversation_ids}
    marks: dict[str, list[Marked]] = {}
    for k in exchange.marks:
        marks.setdefault(k.source, []).append(k)
    notes: dict[str, list[Any]] = {}  # on the case's first chat
    for n in exchange.notes:
        notes.setdefault(first_chat.get(n.case, ""), []).append(_note(n, labels.get(n.variable, n.variable)))
    sources = [_source(s, marks.get(s.id, []), notes.get(s.id, []), book) for s in exchange.sources]
    project = m.Project(
        name=book.title,
        origin=exchange.origin,
        code_book=m.ProjectCodeBookType(codes=m.ProjectCodesType(code=_code_tree(book, m.ProjectCodeType))),
        variables=m.VariablesType(variable=[_variable(v, book) for v in book]),
        cases=m.CasesType(case=[_case(c, book) for c in exchange.cases]) if exchange.cases else None,
        sources=m.SourcesType(text_source=sources) if sources else None,
        notes=m.NotesType(note=[n for on_chat in notes.values() for n in on_chat]) if notes else None,
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as qdpx:
        qdpx.writestr("project.qde", _xml(project, PROJECT_NS))
        for source in exchange.sources:
            qdpx.writestr(_path(source), source.text.encode("utf-8"))
    return out.getvalue()


def _path(source: Source) -> str:
    return f"sources/{_source_guid(source.id)}.txt"


def _source(source: Source, marks: list[Marked], notes: list[Any], book: Codebook) -> Any:
    from pyrefiqda import models as m

    selections = []
    for k in marks:
        code = code_guid(book, k.variable, k.category)
        coding = m.CodingType(guid=guid("coding", source.id, str(k.start), code), code_ref=m.CodeRefType(target_guid=code))
        selections.append(m.PlainTextSelectionType(guid=guid("selection", source.id, str(k.start), str(k.end), code),
                                                   name=source.text[k.start : k.end][:80], start_position=k.start, end_position=k.end,
                                                   coding=[coding]))  # fmt: skip
    return m.TextSourceType(
        guid=_source_guid(source.id),
        name=source.name,
        plain_text_path="internal://" + _path(source).removeprefix("sources/"),
        creation_date_time=_when(source.started_at),
        plain_text_selection=selections,
        note_ref=[m.NoteRefType(target_guid=n.guid) for n in notes],
    )


def _note(note: Note, label: str) -> Any:
    from pyrefiqda import models as m

    return m.TextSourceType(
        guid=guid("note", note.case, note.variable, note.author, note.at.isoformat()),
        name=f"Overleg {note.case}: {label}",
        plain_text_content=f"{note.author}, {note.at:%d-%m-%Y %H:%M}: {note.text}",
        creation_date_time=_when(note.at),
    )


def _variable(variable: Variable, book: Codebook) -> Any:
    from pyrefiqda import models as m

    kind = {"integer": m.TypeOfVariableType.INTEGER, "date": m.TypeOfVariableType.DATE, "flag": m.TypeOfVariableType.BOOLEAN}
    return m.VariableType(guid=_variable_guid(book, variable.id), name=variable.label, description=variable.definition or None,
                          type_of_variable=kind.get(variable.type, m.TypeOfVariableType.TEXT))  # fmt: skip


def _case(case: CodedCase, book: Codebook) -> Any:
    from pyrefiqda import models as m

    return m.CaseType(guid=guid("case", case.visitor_id), name=case.visitor_id, variable_value=_values(case, book),
                      source_ref=[m.SourceRefType(target_guid=_source_guid(i)) for i in case.conversation_ids])  # fmt: skip


def _code_tree(book: Codebook, code: Any) -> list[Any]:
    """Each variable a code; its categories, where it has them, codes beneath it."""
    return [
        code(guid=code_guid(book, v.id), name=v.label, is_codable=not v.categories, description=v.definition or None,
             code=[code(guid=code_guid(book, v.id, c.id), name=c.label, is_codable=True, description=c.definition or None)
                   for c in v.categories])
        for v in book
    ]  # fmt: skip


def _values(case: CodedCase, book: Codebook) -> list[Any]:
    """The case's codes as case variables; what is unknown or not coded yet is left out."""
    from pyrefiqda import models as m
    from xsdata.models.datatype import XmlDate

    out = []
    for v in book:
        value: Value = case.values.get(v.id)
        if value is None or value is NOT_CODED:
            continue
        ref = m.VariableRefType(target_guid=_variable_guid(book, v.id))
        if isinstance(value, bool):
            out.append(m.VariableValueType(variable_ref=ref, boolean_value=value))
        elif isinstance(value, int):
            out.append(m.VariableValueType(variable_ref=ref, integer_value=value))
        elif isinstance(value, dt.date):
            out.append(m.VariableValueType(variable_ref=ref, date_value=XmlDate.from_date(value))
                       if v.type == "date" else m.VariableValueType(variable_ref=ref, text_value=f"{value:%Y-%m}"))  # fmt: skip
        elif isinstance(value, frozenset):
            named = "; ".join(v.category(c).label for c in v.category_ids if c in value)
            out.append(m.VariableValueType(variable_ref=ref, text_value=named))
        else:
            out.append(m.VariableValueType(variable_ref=ref, text_value=v.category(str(value)).label if v.categories else str(value)))
    return out


def _when(at: dt.datetime) -> Any:
    from xsdata.models.datatype import XmlDateTime

    return XmlDateTime.from_datetime(at.replace(microsecond=0))


def _xml(model: Any, namespace: str) -> bytes:
    from xsdata.formats.dataclass.serializers.config import SerializerConfig
    from xsdata_pydantic.bindings import XmlSerializer

    serializer = XmlSerializer(config=SerializerConfig(xml_declaration=True, encoding="UTF-8", indent="  "))
    text: str = serializer.render(model, ns_map={None: namespace})
    return text.encode("utf-8")


@dataclass(frozen=True)
class ImportedCode:
    name: str
    description: str
    children: tuple[ImportedCode, ...]


def read_qdc(data: bytes, source: str) -> list[ImportedCode]:
    """The code tree of another tool's codebook (.qdc); a file that is not one says so."""
    from lxml import etree

    if data.startswith(b"PK"):
        raise ZichtError(f"{source}: a zip (a .qdpx project?), not a codebook: export the codebook from the QDA tool as .qdc")
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as e:
        raise ZichtError(f"{source}:{e.lineno}:{e.offset + 1}: not XML: {e.msg}") from None  # lxml counts columns from 0
    if root.tag != f"{{{CODEBOOK_NS}}}CodeBook":
        raise ZichtError(f"{source}: not a REFI-QDA codebook (the root is {etree.QName(root).localname}, not CodeBook in {CODEBOOK_NS})")
    codes = root.find(f"{{{CODEBOOK_NS}}}Codes")
    return [] if codes is None else [_imported(c) for c in codes.findall(f"{{{CODEBOOK_NS}}}Code")]


def _imported(element: Any) -> ImportedCode:
    description = element.findtext(f"{{{CODEBOOK_NS}}}Description") or ""
    children = tuple(_imported(c) for c in element.findall(f"{{{CODEBOOK_NS}}}Code"))
    return ImportedCode(element.get("name", "").strip(), description.strip(), children)


def draft_codebook(codes: Sequence[ImportedCode], codebook_id: str, title: str) -> str:
    """A zicht codebook (YAML) to start from: each top code a variable, its codes beneath (and theirs,
    by path) its categories; a code without any a flag. Types and counting rules are the researchers'
    to check: a QDA codebook says neither."""
    variables = []
    taken: set[str] = set()
    for code in codes:
        leaves = _leaves(code.children)
        variable: dict[str, Any] = {"id": _slug(code.name, taken), "label": code.name, "type": "many" if leaves else "flag"}
        variable["missing"] = "excluded"
        if code.description:
            variable["definition"] = code.description
        if leaves:
            named: set[str] = set()
            variable["categories"] = [{"id": _slug(label, named), "label": label} | ({"definition": d} if d else {}) for label, d in leaves]
        variables.append(variable)
    head = ("# Started by `zicht codebook import` from another tool's codebook. Check each variable's type (one, many,\n"
            "# integer, date, month, flag) and its counting rule (missing) before coding with it.\n")  # fmt: skip
    body = {"id": codebook_id, "title": title, "language": "nl", "variables": variables}
    return head + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=120)


def _leaves(codes: Sequence[ImportedCode], path: str = "") -> list[tuple[str, str]]:
    out = []
    for c in codes:
        label = f"{path}{c.name}"
        out += [(label, c.description)] if not c.children else _leaves(c.children, f"{label} / ")
    return out


def _slug(name: str, taken: set[str]) -> str:
    """An id from a name: lower-case ASCII words joined by _, unique among `taken`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "_", plain).strip("_") or "code"
    base = base if base[0].isalpha() else f"c_{base}"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}_{n}"
    taken.add(slug)
    return slug
