"""Excel import: the template, the row-by-row preview of a bad file, nothing imported while
errors remain, valid-only import, the pages and the operator command."""

import datetime as dt
import zipfile
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gendan.core.errors import Blocked, NotPermitted
from gendan.intake import actions
from gendan.intake.excel.columns import COLUMNS
from gendan.intake.excel.reader import read_orders
from gendan.intake.models import ImportBatch, ImportState, OrderIntake, Source
from gendan.ledger.models import LedgerEntry
from gendan.orders.models import Order
from gendan.orders.status import Channel
from tests.factories import CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db

KEYS = [column.key for column in COLUMNS]
LATER = (timezone.localdate() + dt.timedelta(days=40)).isoformat()


@pytest.fixture
def master_data(db: None) -> None:
    CustomerFactory(code="C100", name="Kunshan Carton", payment_terms="60 days")
    CustomerFactory(code="C200", name="Wuxi Print")
    ProductFactory(code="CM-120")
    ProductFactory(code="KL-170", grammage=170, width_mm=2000)


def row(**values: Any) -> list[Any]:
    good = {
        "customer_code": "C100",
        "customer_reference": "PO-1",
        "channel": "",
        "requested_date": LATER,
        "delivery_place": "Kunshan plant, gate 2",
        "payment_terms": "",
        "product_code": "CM-120",
        "grammage": 120,
        "width_mm": 1600,
        "quantity": 30,
        "unit_price": 3150,
        "order_type": "",
    }
    good.update(values)
    return [good[key] for key in KEYS]


def xlsx(*rows: list[Any], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or KEYS)
    for values in rows:
        sheet.append(values)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def upload(user, content: bytes, name: str = "orders.xlsx") -> ImportBatch:
    return actions.upload_import_file(user=user, file=SimpleUploadedFile(name, content))


BAD_FILE = [
    row(customer_reference="PO-10"),  # row 2: fine, but row 6 repeats it
    row(customer_reference="PO-11", quantity="abc", requested_date="next week", grammage=120.5),
    row(customer_code="NOPE", customer_reference="PO-12"),  # row 4
    row(customer_reference="PO-13", product_code="XX-999"),  # row 5
    row(customer_reference="PO-10"),  # row 6: duplicate of row 2
    row(customer_reference="PO-14", delivery_place="=cmd|' /C calc'!A0"),  # row 7
    row(customer_reference="@SUM(1+1)*cmd", payment_terms="+1", quantity=-5),  # row 8
    row(customer_reference="PO-15", requested_date="2020-01-02"),  # row 9
    row(customer_code="C200", customer_reference="PO-16", payment_terms="cash"),  # row 10: fine
]


def test_template_has_every_column_and_explains_them(client_for, users) -> None:
    response = client_for("clerk").get(reverse("intake:import_template"))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    orders, notes = book.worksheets
    assert [cell.value for cell in orders[1]] == KEYS
    assert [row[0] for row in notes.iter_rows(min_row=2, max_row=13, values_only=True)] == KEYS


def test_the_filled_template_imports_as_is(users, master_data, client_for) -> None:
    template = client_for("clerk").get(reverse("intake:import_template")).content
    book = load_workbook(BytesIO(template))
    book.worksheets[0]["A2"] = "C100"
    book.worksheets[0]["D2"] = LATER
    book.worksheets[0]["G2"] = "CM-120"
    out = BytesIO()
    book.save(out)
    preview = read_orders(BytesIO(out.getvalue()))
    assert not preview.has_errors, [r.messages() for r in preview.rows]


def test_rows_with_the_same_reference_become_one_order(users, master_data) -> None:
    batch = upload(
        users["clerk"],
        xlsx(
            row(),
            row(product_code="KL-170", grammage=None, width_mm=None, quantity=12.5),
            row(
                customer_code="C200",
                customer_reference="PO-9",
                payment_terms="cash",
                channel="口头订单",
                order_type="export",
            ),
        ),
    )
    orders = actions.import_batch(batch=batch, user=users["clerk"])
    assert len(orders) == 2
    first, second = orders
    assert first.customer.code == "C100" and first.customer_reference == "PO-1"
    assert first.channel == Channel.E_ORDER and first.payment_terms == "60 days"
    assert [
        (ln.product.code, ln.grammage, ln.width_mm, ln.quantity) for ln in first.lines.all()
    ] == [
        ("CM-120", 120, 1600, Decimal("30.000")),
        ("KL-170", 170, 2000, Decimal("12.500")),
    ]
    assert first.total_amount == Decimal("133875.00") and first.clerk == users["clerk"]
    assert second.channel == Channel.VERBAL
    assert OrderIntake.objects.get(order=second).order_type.code == "export"
    assert OrderIntake.objects.get(order=first).source == Source.EXCEL
    assert first.ledger.filter(summary="Imported from the Excel file orders.xlsx (rows 2, 3)")
    batch.refresh_from_db()
    assert batch.state == ImportState.IMPORTED
    assert batch.result == {"orders": [first.number, second.number], "skipped_rows": []}


def messages_by_row(preview) -> dict[int, list[str]]:
    return {r.number: r.messages() for r in preview.rows}


def test_bad_file_is_reported_row_by_row(users, master_data) -> None:
    preview = read_orders(BytesIO(xlsx(*BAD_FILE)))
    found = messages_by_row(preview)
    past = "2020-01-02 is in the past"
    assert found[2] == []
    assert found[3] == [
        "Requested delivery date: Not a date: “next week” (use a date cell or YYYY-MM-DD)",
        "Grammage (g/m²): Use a whole number",
        "Quantity: Not a number: “abc”",
    ]
    assert found[4] == ["Customer code: No active customer has the code “NOPE”"]
    assert found[5] == ["Product code: No active product has the code “XX-999”"]
    assert found[6] == ["Duplicate of row 2: the same line twice"]
    assert found[7] == [
        "Delivery place: Starts with “=”: formulas and text starting with =, +, -, @ are not "
        "accepted. Type the value itself."
    ]
    assert found[8] == [
        "Customer reference: Starts with “@”: formulas and text starting with =, +, -, @ are "
        "not accepted. Type the value itself.",
        "Payment terms: Starts with “+”: formulas and text starting with =, +, -, @ are not "
        "accepted. Type the value itself.",
        "Quantity: Must be between 0.001 and 999999999",
    ]
    assert found[9] == [f"Requested delivery date: {past}"]
    assert found[10] == []
    by_number = {r.number: r for r in preview.rows}
    assert by_number[2].blocked_by == [6] and not by_number[2].importable
    assert by_number[10].importable
    assert by_number[7].cells["delivery_place"].raw == "=cmd|' /C calc'!A0"


def test_nothing_is_imported_while_errors_remain(users, master_data) -> None:
    batch = upload(users["clerk"], xlsx(*BAD_FILE))
    assert (batch.row_count, batch.error_row_count) == (9, 7)
    with pytest.raises(Blocked) as refused:
        actions.import_batch(batch=batch, user=users["clerk"])
    assert refused.value.messages == [
        "7 rows have errors: correct the file and upload it again, or import only the valid rows."
    ]
    assert not Order.objects.exists()
    batch.refresh_from_db()
    assert batch.state == ImportState.PREVIEWED


def test_valid_only_imports_the_clean_orders_and_nothing_harmful(users, master_data) -> None:
    batch = upload(users["clerk"], xlsx(*BAD_FILE))
    orders = actions.import_batch(batch=batch, user=users["clerk"], valid_only=True)
    assert [(o.customer.code, o.customer_reference) for o in orders] == [("C200", "PO-16")]
    assert Order.objects.count() == 1
    for text in Order.objects.values_list("customer_reference", "delivery_place", "payment_terms"):
        assert not any(value.startswith(("=", "+", "-", "@")) for value in text)
    batch.refresh_from_db()
    assert batch.result["skipped_rows"] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert LedgerEntry.objects.filter(subject=f"intake.importbatch:{batch.pk}").exists()
    with pytest.raises(Blocked):
        actions.import_batch(batch=batch, user=users["clerk"], valid_only=True)


def test_the_same_file_twice_is_refused_row_by_row(users, master_data) -> None:
    content = xlsx(row())
    actions.import_batch(batch=upload(users["clerk"], content), user=users["clerk"])
    number = Order.objects.get().number
    preview = read_orders(BytesIO(content))
    assert preview.rows[0].messages() == [
        f"Customer reference: Already registered as order {number}"
    ]


def test_rows_of_one_order_must_agree_on_the_order_columns(users, master_data) -> None:
    preview = read_orders(BytesIO(xlsx(row(), row(product_code="KL-170", delivery_place="Suzhou"))))
    assert preview.rows[1].messages() == [
        "Delivery place: Differs from row 2 of the same order (“Kunshan plant, gate 2”)"
    ]


def test_file_level_problems_stop_the_preview(users, master_data) -> None:
    assert read_orders(BytesIO(b"not a zip")).file_errors == [
        "This is not an Excel .xlsx file. Download the template."
    ]
    missing = read_orders(BytesIO(xlsx(["C100"], header=["customer_code"])))
    assert missing.file_errors[0].startswith(
        "The first row must name the columns; missing: customer_reference, requested_date"
    )
    assert read_orders(BytesIO(xlsx())).file_errors == [
        "The file has no order rows below the column names."
    ]


def test_oversized_and_foreign_files_are_refused_whole(users, master_data) -> None:
    too_many = read_orders(BytesIO(xlsx(*[row(customer_reference=f"PO-{n}") for n in range(2001)])))
    assert too_many.file_errors == [
        "The file has more than 2000 rows: split it into smaller files."
    ]
    assert too_many.rows == []
    other_zip = BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert read_orders(BytesIO(other_zip.getvalue())).file_errors == [
        "This is not an Excel .xlsx file. Download the template."
    ]


def test_chinese_headers_are_understood(users, master_data) -> None:
    chinese = [
        "客户编码",
        "客户订单号",
        "渠道",
        "交货日期",
        "交货地点",
        "付款方式",
        "产品编码",
        "克重",
        "宽度",
        "数量",
        "单价",
        "订单类型",
    ]
    preview = read_orders(BytesIO(xlsx(row(), header=chinese)))
    assert not preview.has_errors


def test_only_sales_may_import(users, master_data) -> None:
    with pytest.raises(NotPermitted):
        upload(users["technical_reviewer"], xlsx(row()))
    with pytest.raises(Blocked) as refused:
        upload(users["clerk"], b"x", name="orders.csv")
    assert "file" in refused.value.fields


# --- pages ---------------------------------------------------------------------------------


def test_upload_preview_confirm_on_the_pages(client_for, users, master_data) -> None:
    client = client_for("clerk")
    response = client.post(
        reverse("intake:import"),
        {"file": SimpleUploadedFile("bad.xlsx", xlsx(*BAD_FILE))},
    )
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert page.count('class="cell-error"') == 10  # the cells named in the messages
    assert "=cmd|&#x27; /C calc&#x27;!A0" in page  # shown as text, escaped
    assert "Duplicate of row 2" in page
    assert "Import only the valid rows" in page

    assert client.post(preview_url, {}).status_code == 409
    assert not Order.objects.exists()
    response = client.post(preview_url, {"valid_only": "on"})
    assert response.status_code == 302
    assert Order.objects.count() == 1
    assert Order.objects.get().number in client.get(preview_url).content.decode()


def test_import_pages_refuse_other_roles_and_hide_others_files(
    client_for, users, master_data
) -> None:
    assert client_for("technical_reviewer").get(reverse("intake:import")).status_code == 403
    batch = upload(users["clerk"], xlsx(row()))
    url = reverse("intake:import_preview", args=[batch.pk])
    assert client_for("other_clerk").get(url).status_code == 404
    assert client_for("sales_head").get(url).status_code == 200


def test_upload_errors_show_on_the_field(client_for, users) -> None:
    response = client_for("clerk").post(
        reverse("intake:import"), {"file": SimpleUploadedFile("a.txt", b"x")}
    )
    assert response.status_code == 400
    assert "Upload an Excel .xlsx file" in response.content.decode()


# --- the operator command --------------------------------------------------------------------


def test_command_reports_errors_and_imports_nothing_without_valid_only(
    users, master_data, tmp_path
) -> None:
    path = tmp_path / "orders.xlsx"
    path.write_bytes(xlsx(*BAD_FILE))
    err = StringIO()
    with pytest.raises(CommandError, match="7 rows have errors"):
        call_command("import_orders", str(path), "--user", "clerk", stderr=err, stdout=StringIO())
    assert "row 4: Customer code: No active customer has the code “NOPE”" in err.getvalue()
    assert not Order.objects.exists()


def test_command_imports_valid_rows_when_asked(users, master_data, tmp_path) -> None:
    path = tmp_path / "orders.xlsx"
    path.write_bytes(xlsx(*BAD_FILE))
    out = StringIO()
    call_command(
        "import_orders", str(path), "--user", "clerk", "--valid-only", stdout=out, stderr=StringIO()
    )
    assert "Imported 1 orders" in out.getvalue()
    assert Order.objects.get().created_by == users["clerk"]


def test_command_needs_to_know_who_imports(users, master_data, tmp_path) -> None:
    path = tmp_path / "orders.xlsx"
    path.write_bytes(xlsx(row()))
    with pytest.raises(CommandError, match="--user"):
        call_command("import_orders", str(path), stdout=StringIO())
