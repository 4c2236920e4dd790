"""The batch's .xlsx files, through openpyxl (the optional "xlsx" extra).

Imported only by checker.batch, and only when a path ends in .xlsx: the checker itself, the CLI
with CSV and the browser need the standard library only.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from checker.batch import BatchError

MISSING = ("读写 .xlsx 文件需要 openpyxl：请运行 pip install 'hechuan-talent-checker[xlsx]'，"
           "或在 Excel / WPS 中把表格另存为 CSV")


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        raise BatchError(MISSING) from None
    return openpyxl


def cell_text(value) -> str:
    """A cell as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()  # a date typed in Excel is a datetime at midnight
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(path: Path):
    """(row number, cells, None) per non-empty row of the workbook's first sheet, header first."""
    openpyxl = _openpyxl()  # first: a missing extra is a clear message, not an ImportError
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError):
        raise BatchError(f"{path} 不是有效的 .xlsx 文件") from None
    try:
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            cells = [cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()  # a sheet's rows run to its widest one
            if cells:
                yield number, cells, None
    finally:
        workbook.close()


class RowWriter:
    """write_row for a report .xlsx, saved when the with block ends without an error."""

    def __init__(self, path: str) -> None:
        openpyxl = _openpyxl()  # first: a missing extra is a clear message, not an ImportError
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        self._illegal = ILLEGAL_CHARACTERS_RE  # control characters XML cannot hold
        self._path = path
        self._workbook = openpyxl.Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet("报告")

    def __call__(self, row: list) -> None:
        self._sheet.append([self._illegal.sub("", v) if isinstance(v, str) else v for v in row])

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self._workbook.save(self._path)
