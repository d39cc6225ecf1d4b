"""The columns of the order import template (docs/intake.md describes them for users)."""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gendan.orders.status import Channel

TEXT, DATE, WHOLE, DECIMAL, CHANNEL = "text", "date", "whole", "decimal", "channel"


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: str
    required: bool
    help: str | Promise
    example: Any
    #: Other header spellings accepted (Chinese headers used in the sales office).
    aliases: tuple[str, ...] = ()
    max_length: int | None = None
    #: Same value on every row of one order (header fields).
    per_order: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "customer_code",
        _("Customer code"),
        TEXT,
        True,
        _("The customer's code in Gendan."),
        "C0001",
        ("客户编码", "客户代码"),
        30,
        per_order=True,
    ),
    Column(
        "customer_reference",
        _("Customer reference"),
        TEXT,
        True,
        _("The customer's order number. Rows with the same customer and reference form one order."),
        "PO-2026-0415",
        ("客户订单号", "客户参考号"),
        80,
        per_order=True,
    ),
    Column(
        "channel",
        _("Channel"),
        CHANNEL,
        False,
        _(
            "How the order came in: contract, e_order, verbal, phone, email or web_shop. "
            "Empty means e_order."
        ),
        "e_order",
        ("渠道", "接单渠道"),
        per_order=True,
    ),
    Column(
        "requested_date",
        _("Requested delivery date"),
        DATE,
        True,
        _("A date cell, or text as YYYY-MM-DD. Not in the past."),
        "2026-12-01",
        ("要求交货日期", "交货日期", "交期"),
        per_order=True,
    ),
    Column(
        "delivery_place",
        _("Delivery place"),
        TEXT,
        True,
        _("Where the goods go."),
        _("Kunshan plant, gate 2"),
        ("交货地点",),
        300,
        per_order=True,
    ),
    Column(
        "payment_terms",
        _("Payment terms"),
        TEXT,
        False,
        _("Empty means the customer's usual terms."),
        _("30 days after delivery"),
        ("付款方式", "付款条件"),
        120,
        per_order=True,
    ),
    Column(
        "product_code",
        _("Product code"),
        TEXT,
        True,
        _("The product's code in Gendan."),
        "CM-120",
        ("产品编码", "产品代码"),
        40,
    ),
    Column(
        "grammage",
        _("Grammage (g/m²)"),
        WHOLE,
        False,
        _("Whole number. Empty means the product's grammage."),
        120,
        ("克重",),
    ),
    Column(
        "width_mm",
        _("Width (mm)"),
        WHOLE,
        False,
        _("Whole number, for rolls. Empty means the product's width."),
        1600,
        ("width", "宽度", "门幅"),
    ),
    Column(
        "quantity",
        _("Quantity"),
        DECIMAL,
        True,
        _("In the product's unit (usually tons), more than 0, at most 3 decimals."),
        30,
        ("数量",),
    ),
    Column(
        "unit_price",
        _("Unit price (CNY)"),
        DECIMAL,
        True,
        _("Per unit, at most 2 decimals."),
        3150,
        ("单价",),
    ),
    Column(
        "order_type",
        _("Order type"),
        TEXT,
        False,
        _(
            "Code of an order type (standard, sample, emergency, export). Empty means the "
            "default type."
        ),
        "",
        ("订单类型",),
        30,
        per_order=True,
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}

#: Channel spellings accepted besides the codes (Chinese as written in the sales office).
CHANNEL_ALIASES: dict[str, str] = {
    "书面合同": Channel.CONTRACT,
    "合同": Channel.CONTRACT,
    "电子订单": Channel.E_ORDER,
    "口头订单": Channel.VERBAL,
    "口头": Channel.VERBAL,
    "电话": Channel.PHONE,
    "邮件": Channel.EMAIL,
    "电子邮件": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "网店": Channel.WEB_SHOP,
    "电商": Channel.WEB_SHOP,
}
