"""XLSX workbooks: check the zip, find formulas without saved values, read cells with calamine.

The zip is looked at before calamine opens it: its unpacked size (zip bombs), whether it is an
XLSX workbook at all, which sheet to read, whether dates count from 1904, and whether any
formula cell lacks the value the spreadsheet saved with it (formulas are never run here).
calamine then reads the sheet, keeping each cell's type: numbers, dates, booleans, text.
"""

import contextlib
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeXML
import python_calamine
from defusedxml import DefusedXmlException

from powerbase.imports.errors import FileRefused
from powerbase.imports.tables import (
    CHUNK_BYTES,
    ReadLimits,
    Row,
    Table,
    Upload,
    blank_header_problem,
    checked_header,
    numbered_rows,
    size_text,
    too_many_rows_problem,
)


def open_xlsx(src: Upload, sheet: str | int | None, limits: ReadLimits) -> Table:
    """Return the Table of one sheet of an XLSX upload (the first unless *sheet* says)."""
    with src.opened() as raw:
        package = _inspect_package(src.name, raw, sheet, limits)
    with _workbook(src) as workbook:
        calamine_sheet = workbook.get_sheet_by_name(package.sheet_name)
        table = Table(
            file_name=src.name,
            kind="xlsx",
            header=(),
            sheet_name=package.sheet_name,
            sheet_names=tuple(workbook.sheet_names),
            date1904=package.date1904,
            formula_cells=package.formula_cells,
            _source=src,
            _limits=limits,
            _read_rows=_xlsx_data_rows,
        )
        start = calamine_sheet.start
        where = f"Sheet '{package.sheet_name}'"
        if start is None:
            raise FileRefused(
                file=src.name, problem=f"{where} is empty: there is nothing to import."
            )
        if calamine_sheet.width > limits.max_columns:
            raise FileRefused(
                file=src.name,
                problem=(
                    f"{where} has {calamine_sheet.width:,} columns; an import may have at most "
                    f"{limits.max_columns:,}."
                ),
            )
        if calamine_sheet.height - 1 > limits.max_rows:
            raise FileRefused(file=src.name, problem=too_many_rows_problem(limits))
        if start[0] > 0:
            raise FileRefused(file=src.name, row=1, problem=blank_header_problem())
        table.first_column = start[1]
        first = next(iter(calamine_sheet.iter_rows()), [])
        table.header = checked_header(src.name, first, limits, first_column=start[1])
        table.rows_estimate = calamine_sheet.height - 1
    return table


@dataclass
class _Package:
    sheet_name: str
    date1904: bool
    formula_cells: int


def _inspect_package(
    file: str, raw: BinaryIO, sheet: str | int | None, limits: ReadLimits
) -> _Package:
    """Check the zip is a sane XLSX workbook and the sheet has no unsaved formulas."""
    try:
        with zipfile.ZipFile(raw) as archive:
            return _inspect_archive(file, archive, sheet, limits)
    except _DAMAGED as error:
        raise FileRefused(
            file=file,
            problem=(
                "This looks like an XLSX workbook or a ZIP archive, but it is damaged and cannot "
                "be read."
            ),
        ) from error


# What the zip and XML libraries raise on a damaged or hostile archive.
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ParseError,
    DefusedXmlException,
    UnicodeDecodeError,
)


def _inspect_archive(
    file: str, archive: zipfile.ZipFile, sheet: str | int | None, limits: ReadLimits
) -> _Package:
    names = set(archive.namelist())
    if "mimetype" in names and "content.xml" in names:
        raise FileRefused(
            file=file,
            problem=("This is an OpenDocument spreadsheet (.ods); save it as .xlsx or .csv."),
        )
    workbook_path = _workbook_path(archive, names)
    if workbook_path is None:
        raise FileRefused(
            file=file,
            problem=(
                "This is a ZIP archive, not an XLSX workbook; unpack it and upload the "
                "spreadsheet inside."
            ),
        )
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limits.max_unpacked_bytes:
        raise FileRefused(
            file=file,
            problem=(
                f"This workbook unpacks to {size_text(unpacked)}, more than the "
                f"{size_text(limits.max_unpacked_bytes)} an import may be."
            ),
        )
    sheets, date1904 = _workbook_sheets(archive, workbook_path)
    sheet_name, sheet_path = _choose_sheet(file, sheets, sheet)
    formula_cells = _count_formula_cells(file, archive, sheet_name, sheet_path)
    return _Package(sheet_name=sheet_name, date1904=date1904, formula_cells=formula_cells)


def _workbook_path(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "_rels/.rels" in names:
        for target, kind in _relationships(archive.read("_rels/.rels")).values():
            if kind.endswith("/officeDocument"):
                path = target.lstrip("/")
                return path if path in names else None
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def _relationships(xml: bytes) -> dict[str, tuple[str, str]]:
    """Return {relationship id: (target, type)} from a .rels part."""
    root = _parse_xml(xml)
    return {
        element.get("Id", ""): (element.get("Target", ""), element.get("Type", ""))
        for element in root
        if _local(element.tag) == "Relationship"
    }


def _workbook_sheets(
    archive: zipfile.ZipFile, workbook_path: str
) -> tuple[list[tuple[str, str]], bool]:
    """Return [(sheet name, path of its XML)] in workbook order, and the date1904 flag."""
    folder = workbook_path.rpartition("/")[0]
    rels_path = f"{folder}/_rels/{workbook_path.rpartition('/')[2]}.rels"
    root = _parse_xml(archive.read(workbook_path))
    relationships = _relationships(archive.read(rels_path))
    date1904 = False
    sheets = []
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "workbookPr":
            date1904 = element.get("date1904", "").lower() in ("1", "true")
        elif tag == "sheet":
            rel_id = next(
                (value for key, value in element.attrib.items() if _local(key) == "id"), ""
            )
            target = relationships.get(rel_id, ("", ""))[0]
            path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            sheets.append((element.get("name", ""), path))
    return sheets, date1904


def _choose_sheet(
    file: str, sheets: list[tuple[str, str]], sheet: str | int | None
) -> tuple[str, str]:
    if not sheets:
        raise FileRefused(file=file, problem="This workbook has no sheets.")
    if sheet is None:
        return sheets[0]
    if isinstance(sheet, int):
        if 0 <= sheet < len(sheets):
            return sheets[sheet]
    else:
        for name, path in sheets:
            if name == sheet:
                return name, path
    names = ", ".join(f"'{name}'" for name, _ in sheets)
    raise FileRefused(
        file=file, problem=f"This workbook has no sheet {sheet!r}; its sheets are {names}."
    )


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _count_formula_cells(
    file: str, archive: zipfile.ZipFile, sheet_name: str, sheet_path: str
) -> int:
    """Count the sheet's formula cells; refuse one that has no saved value to read.

    A formula cell stores the formula and, if the program that wrote it calculated it, the
    result. We never evaluate formulas, so a cell without a saved result cannot be read.
    """
    with archive.open(sheet_path) as stream:
        if not _contains(stream, _FORMULA_TAG):
            return 0
    count = 0
    with archive.open(sheet_path) as stream:
        for _, element in SafeXML.iterparse(stream):
            if _local(element.tag) != "c":
                continue
            children = {_local(child.tag): child for child in element}
            if "f" in children:
                count += 1
                value = children.get("v")
                if (value is None or not value.text) and element.get("t") != "str":
                    raise FileRefused(
                        file=file,
                        problem=(
                            f"Cell {element.get('r', '?')} of sheet '{sheet_name}' holds a formula "
                            "with no saved value, and formulas are never run here. Open the "
                            "workbook in Excel or LibreOffice, save it, and upload it again."
                        ),
                    )
            element.clear()
    return count


def _contains(stream, pattern: re.Pattern) -> bool:
    tail = b""
    while chunk := stream.read(CHUNK_BYTES):
        if pattern.search(tail + chunk):
            return True
        tail = chunk[-64:]
    return False


def _parse_xml(xml: bytes) -> Element:
    return SafeXML.fromstring(xml)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2].rpartition(":")[2]


@contextlib.contextmanager
def _workbook(src: Upload) -> Iterator[python_calamine.CalamineWorkbook]:
    """Open the workbook with calamine; turn what calamine raises, here or later, into a refusal."""
    with src.opened() as raw:
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(raw)
        except python_calamine.PasswordError as error:
            raise FileRefused(
                file=src.name,
                problem=("This workbook is protected by a password; save a copy without one."),
            ) from error
        except (python_calamine.CalamineError, OSError, ValueError) as error:
            raise _damaged(src.name, error) from error
        try:
            yield workbook
        except python_calamine.CalamineError as error:  # a sheet that cannot be loaded
            raise _damaged(src.name, error) from error
        finally:
            workbook.close()


def _damaged(file: str, error: Exception) -> FileRefused:
    return FileRefused(
        file=file, problem=(f"This XLSX workbook is damaged and cannot be read ({error}).")
    )


def _xlsx_data_rows(table: Table) -> Iterator[Row]:
    assert table.sheet_name is not None, "an XLSX table is read from a sheet"
    with _workbook(table.upload()) as workbook:
        rows = workbook.get_sheet_by_name(table.sheet_name).iter_rows()
        next(rows, None)  # the header, checked when the table was opened
        yield from numbered_rows(table, rows, first_number=2)
