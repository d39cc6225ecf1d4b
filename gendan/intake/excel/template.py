"""The downloadable import template: an "Orders" sheet to fill and an "Instructions" sheet."""

from io import BytesIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from gendan.intake.excel.columns import CHANNEL, COLUMNS, TEXT
from gendan.orders.status import Channel

SHEET = "Orders"


def build_template() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([column.key for column in COLUMNS])
    sheet.append([str(c.example) if isinstance(c.example, Promise) else c.example for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        letter = header.column_letter
        sheet.column_dimensions[letter].width = max(14, len(column.key) + 4)
        if column.kind in (TEXT, CHANNEL):
            for row in range(2, 1002):  # keep codes such as 0012 as typed
                sheet.cell(row=row, column=index).number_format = "@"
        if column.kind == CHANNEL:
            choices = DataValidation(
                type="list", formula1='"' + ",".join(Channel.values) + '"', allow_blank=True
            )
            sheet.add_data_validation(choices)
            choices.add(f"{letter}2:{letter}1001")
    sheet.freeze_panes = "A2"

    notes = book.create_sheet(_("Instructions"))
    notes.append([_("Column"), _("Required"), _("Meaning"), _("Example")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        notes.append(
            [
                column.key,
                _("yes") if column.required else _("no"),
                f"{column.label}: {column.help}",
                str(column.example),
            ]
        )
    notes.append([])
    for line in (
        _("Fill the sheet “Orders” from row 2; the example row may be overwritten."),
        _(
            "Rows with the same customer code and customer reference become one order with "
            "several lines; their order columns must agree."
        ),
        _("Type values, not formulas: a cell starting with =, +, - or @ is refused."),
        _(
            "After uploading you see every row with its errors; nothing is imported until you "
            "confirm, and rows with errors are imported only if you choose to skip them."
        ),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["C"].width = 90
    notes.column_dimensions["D"].width = 24
    out = BytesIO()
    book.save(out)
    return out.getvalue()
