"""Reading an uploaded order file into a preview: every row with its values and errors.

Nothing here writes. `read_orders` opens the workbook without evaluating anything, turns each
cell into a typed value or an error in words, and checks the rows against each other and the
database: unknown customers and products, duplicate rows, dates in the past, order columns
that disagree within one order, references already registered. A cell holding a formula or
text starting with =, +, -, @ (spreadsheet formula injection) is refused and kept as text
only for showing.
"""

import datetime as dt
import logging
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from gendan.catalog.models import Product
from gendan.customers.models import Customer
from gendan.intake.excel.columns import (
    BY_KEY,
    CHANNEL,
    CHANNEL_ALIASES,
    COLUMNS,
    DATE,
    DECIMAL,
    WHOLE,
    Column,
)
from gendan.intake.models import OrderType
from gendan.orders.models import Order
from gendan.orders.status import Channel, Status

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
#: Rows (empty ones included) and columns read at most, so a crafted sheet cannot stall us.
MAX_SCANNED_ROWS = 20 * MAX_ROWS
MAX_COLUMNS = 40
#: First characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_LIMITS: dict[str, tuple[Decimal, Decimal, int]] = {
    # column: (lowest allowed, highest allowed, decimals)
    "grammage": (Decimal("1"), Decimal("1000"), 0),
    "width_mm": (Decimal("1"), Decimal("10000"), 0),
    "quantity": (Decimal("0.001"), Decimal("999999999"), 3),
    "unit_price": (Decimal("0"), Decimal("9999999999"), 2),
}


@dataclass
class CellResult:
    raw: str
    value: Any = None
    errors: list[str] = field(default_factory=list)


@dataclass
class RowResult:
    number: int
    cells: dict[str, CellResult]
    errors: list[str] = field(default_factory=list)
    #: Rows of the same order that have errors (this row cannot be imported without them).
    blocked_by: list[int] = field(default_factory=list)
    customer: Customer | None = None
    product: Product | None = None
    order_type: OrderType | None = None

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(cell.errors for cell in self.cells.values())

    @property
    def importable(self) -> bool:
        return not self.has_errors and not self.blocked_by

    @property
    def group_key(self) -> tuple[str, str]:
        return (str(self.value("customer_code") or ""), str(self.value("customer_reference") or ""))

    def value(self, key: str) -> Any:
        cell = self.cells.get(key)
        return cell.value if cell is not None else None

    def messages(self) -> list[str]:
        """Every error of the row in words, each naming its column."""
        found = list(self.errors)
        for key, cell in self.cells.items():
            found += [f"{BY_KEY[key].label}: {error}" for error in cell.errors]
        return found


@dataclass
class Preview:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    columns: tuple[Column, ...] = COLUMNS

    @property
    def error_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.has_errors]

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.error_rows)

    def groups(self) -> list[list[RowResult]]:
        """The file's orders: rows grouped by customer and reference, in file order."""
        grouped: dict[tuple[str, str], list[RowResult]] = {}
        for row in self.rows:
            grouped.setdefault(row.group_key, []).append(row)
        return list(grouped.values())

    def importable_groups(self) -> list[list[RowResult]]:
        if self.file_errors:
            return []
        return [rows for rows in self.groups() if all(row.importable for row in rows)]

    @property
    def importable_row_count(self) -> int:
        return sum(len(rows) for rows in self.importable_groups())


def _normal(header: Any) -> str:
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "_", str(header or "").strip().lower()).strip("_")


def _header_map(cells: list[Any]) -> tuple[dict[int, str], list[str]]:
    """Column index -> key from the header row, and the problems found with it."""
    names: dict[str, str] = {}
    for column in COLUMNS:
        for spelling in (column.key, str(column.label), *column.aliases):
            names[_normal(spelling)] = column.key
    found: dict[int, str] = {}
    for index, value in enumerate(cells):
        key = names.get(_normal(value))
        if key is not None and key not in found.values():
            found[index] = key
    problems = []
    missing = [c.key for c in COLUMNS if c.required and c.key not in found.values()]
    if missing:
        problems.append(
            _("The first row must name the columns; missing: %(columns)s. Download the template.")
            % {"columns": ", ".join(missing)}
        )
    return found, problems


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _looks_like_formula(value: Any, data_type: str | None) -> bool:
    if data_type == "f" or type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return True
    return isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS)


def _number(value: Any, key: str, cell: CellResult) -> None:
    if isinstance(value, bool | dt.date | dt.time):
        cell.errors.append(_("Not a number: “%(value)s”") % {"value": cell.raw})
        return
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        cell.errors.append(_("Not a number: “%(value)s”") % {"value": cell.raw})
        return
    lowest, highest, decimals = _LIMITS[key]
    if not number.is_finite():
        cell.errors.append(_("Not a number: “%(value)s”") % {"value": cell.raw})
    elif number < lowest or number > highest:
        if key == "unit_price":
            cell.errors.append(_("Must not be negative and at most %(max)s") % {"max": highest})
        else:
            cell.errors.append(
                _("Must be between %(min)s and %(max)s") % {"min": lowest, "max": highest}
            )
    elif number != number.quantize(Decimal(1).scaleb(-decimals)):
        cell.errors.append(
            _("Use a whole number")
            if decimals == 0
            else _("At most %(n)d decimals") % {"n": decimals}
        )
    else:
        cell.value = int(number) if decimals == 0 else number.quantize(Decimal(1).scaleb(-decimals))


def _date(value: Any, cell: CellResult, today: dt.date) -> None:
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        text = value.strip().replace("/", "-").replace(".", "-")
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = None
    if day is None:
        cell.errors.append(
            _("Not a date: “%(value)s” (use a date cell or YYYY-MM-DD)") % {"value": cell.raw}
        )
    elif day < today:
        cell.errors.append(_("%(date)s is in the past") % {"date": day.isoformat()})
    else:
        cell.value = day


def _channel(value: Any, cell: CellResult) -> None:
    text = str(value).strip()
    if not text:
        cell.value = Channel.E_ORDER.value
        return
    lowered = text.lower()
    for choice in Channel:
        if lowered in (choice.value, str(choice.label).lower()):
            cell.value = choice.value
            return
    if text in CHANNEL_ALIASES or lowered in CHANNEL_ALIASES:
        cell.value = str(CHANNEL_ALIASES.get(text) or CHANNEL_ALIASES[lowered])
        return
    cell.errors.append(
        _("Unknown channel “%(value)s”: use one of %(choices)s")
        % {"value": text, "choices": ", ".join(Channel.values)}
    )


def _cell(column: Column, value: Any, data_type: str | None, today: dt.date) -> CellResult:
    cell = CellResult(raw=_shown(value))
    if _looks_like_formula(value, data_type):
        cell.raw = str(getattr(value, "text", None) or value)
        cell.errors.append(
            _(
                "Starts with “%(char)s”: formulas and text starting with =, +, -, @ are not "
                "accepted. Type the value itself."
            )
            % {"char": cell.raw.lstrip(" ")[:1].replace("\t", "TAB").replace("\r", "CR")}
        )
        return cell
    empty = value is None or (isinstance(value, str) and not value.strip())
    if empty:
        if column.required:
            cell.errors.append(_("Required"))
        elif column.kind == CHANNEL:
            cell.value = Channel.E_ORDER.value
        return cell
    if column.kind == DATE:
        _date(value, cell, today)
    elif column.kind in (WHOLE, DECIMAL):
        _number(value, column.key, cell)
    elif column.kind == CHANNEL:
        _channel(value, cell)
    elif isinstance(value, dt.date | dt.time | bool):
        cell.errors.append(_("Expected text, not “%(value)s”") % {"value": cell.raw})
    else:
        text = cell.raw.strip()
        if column.max_length and len(text) > column.max_length:
            cell.errors.append(_("At most %(n)d characters") % {"n": column.max_length})
        else:
            cell.value = text
    return cell


def _rows(handle: IO[bytes], preview: Preview) -> list[tuple[int, list[tuple[Any, str | None]]]]:
    """(row number, [(value, data type)]) of the first sheet's known columns, empty rows
    left out."""
    try:
        book = load_workbook(handle, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        preview.file_errors.append(_("This is not an Excel .xlsx file. Download the template."))
        return []
    except Exception:  # any other damage inside the file: say so, never fail the page
        logger.warning("unreadable order file", exc_info=True)
        preview.file_errors.append(_("The file is damaged and cannot be read."))
        return []
    try:
        return _sheet_rows(book, preview)
    except Exception:
        logger.warning("unreadable order file", exc_info=True)
        preview.file_errors.append(_("The file is damaged and cannot be read."))
        return []
    finally:
        book.close()


def _sheet_rows(book: Any, preview: Preview) -> list[tuple[int, list[tuple[Any, str | None]]]]:
    """The rows of the workbook's first sheet, read within the row and column limits."""
    if not book.worksheets or not hasattr(book.worksheets[0], "iter_rows"):
        preview.file_errors.append(_("The file has no sheet with orders."))
        return []
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(max_col=MAX_COLUMNS)
    header = next(rows, None)
    if header is None:
        preview.file_errors.append(_("The file is empty."))
        return []
    mapping, problems = _header_map([cell.value for cell in header])
    preview.file_errors += problems
    if problems:
        return []
    found: list[tuple[int, list[tuple[Any, str | None]]]] = []
    for row_number, cells in enumerate(rows, start=2):
        if row_number > MAX_SCANNED_ROWS:
            preview.file_errors.append(
                _("The sheet goes on beyond row %(n)d: delete the rows below the orders.")
                % {"n": MAX_SCANNED_ROWS}
            )
            return []
        values = {
            index: (cell.value, getattr(cell, "data_type", None))
            for index, cell in enumerate(cells)
            if index in mapping
        }
        if all(v is None or (isinstance(v, str) and not v.strip()) for v, _t in values.values()):
            continue
        if len(found) >= MAX_ROWS:
            preview.file_errors.append(
                _("The file has more than %(n)d rows: split it into smaller files.")
                % {"n": MAX_ROWS}
            )
            return []
        found.append(
            (
                row_number,
                [values.get(index, (None, None)) for index in sorted(mapping)],
            )
        )
    preview.columns = tuple(BY_KEY[mapping[index]] for index in sorted(mapping))
    return found


def read_orders(handle: IO[bytes], *, today: dt.date | None = None) -> Preview:
    """Read and check an order file (see the module doc). Never raises for bad content."""
    today = today or timezone.localdate()
    preview = Preview()
    for number, values in _rows(handle, preview):
        cells = {
            column.key: _cell(column, value, data_type, today)
            for column, (value, data_type) in zip(preview.columns, values, strict=True)
        }
        for column in COLUMNS:  # columns the file leaves out are empty
            cells.setdefault(column.key, _cell(column, None, None, today))
        preview.rows.append(RowResult(number=number, cells=cells))
    if not preview.file_errors and not preview.rows:
        preview.file_errors.append(_("The file has no order rows below the column names."))
    if not preview.file_errors:
        _check_against_database(preview)
        _check_between_rows(preview)
    return preview


def _check_against_database(preview: Preview) -> None:
    codes = {row.value("customer_code") for row in preview.rows} - {None}
    customers = {c.code: c for c in Customer.objects.filter(code__in=codes, is_active=True)}
    product_codes = {row.value("product_code") for row in preview.rows} - {None}
    products = {p.code: p for p in Product.objects.filter(code__in=product_codes, is_active=True)}
    types = {t.code: t for t in OrderType.objects.filter(is_active=True)}
    default_type = next((t for t in types.values() if t.is_default), None)
    for row in preview.rows:
        code = row.value("customer_code")
        if code is not None:
            row.customer = customers.get(code)
            if row.customer is None:
                row.cells["customer_code"].errors.append(
                    _("No active customer has the code “%(code)s”") % {"code": code}
                )
                row.cells["customer_code"].value = None
        product_code = row.value("product_code")
        if product_code is not None:
            row.product = products.get(product_code)
            if row.product is None:
                row.cells["product_code"].errors.append(
                    _("No active product has the code “%(code)s”") % {"code": product_code}
                )
        type_code = row.value("order_type")
        if type_code:
            row.order_type = types.get(type_code)
            if row.order_type is None:
                row.cells["order_type"].errors.append(
                    _("Unknown order type “%(code)s”: use one of %(codes)s")
                    % {"code": type_code, "codes": ", ".join(types)}
                )
        else:
            row.order_type = default_type
        terms = row.cells["payment_terms"]
        if not terms.errors and not terms.value and row.customer is not None:
            if row.customer.payment_terms:
                terms.value = row.customer.payment_terms
            else:
                terms.errors.append(_("Required: the customer has no usual payment terms"))
    _check_registered(preview)


def _check_registered(preview: Preview) -> None:
    """References already registered as an order (e.g. the same file uploaded twice)."""
    wanted = {
        (row.customer.pk, row.value("customer_reference")) for row in preview.rows if row.customer
    }
    if not wanted:
        return
    existing = {
        (customer_id, reference): number
        for customer_id, reference, number in Order.objects.filter(
            customer_id__in={c for c, _r in wanted},
            customer_reference__in={r for _c, r in wanted if r},
        )
        .exclude(status=Status.CANCELLED)
        .values_list("customer_id", "customer_reference", "number")
    }
    for row in preview.rows:
        if row.customer is None:
            continue
        number = existing.get((row.customer.pk, row.value("customer_reference")))
        if number:
            row.cells["customer_reference"].errors.append(
                _("Already registered as order %(number)s") % {"number": number}
            )


def _check_between_rows(preview: Preview) -> None:
    first_of: dict[tuple[str, ...], int] = {}
    for row in preview.rows:
        content = tuple(row.cells[c.key].raw.strip() for c in COLUMNS)
        if content in first_of:
            row.errors.append(
                _("Duplicate of row %(row)d: the same line twice") % {"row": first_of[content]}
            )
        else:
            first_of[content] = row.number
    order_columns = [c.key for c in COLUMNS if c.per_order]
    for rows in preview.groups():
        head = rows[0]
        for row in rows[1:]:
            for key in order_columns:
                cell = row.cells[key]
                if cell.errors or head.cells[key].errors:
                    continue
                if cell.value != head.cells[key].value:
                    cell.errors.append(
                        _("Differs from row %(row)d of the same order (“%(value)s”)")
                        % {"row": head.number, "value": head.cells[key].raw}
                    )
        bad = [row.number for row in rows if row.has_errors]
        for row in rows:
            row.blocked_by = [n for n in bad if n != row.number]
