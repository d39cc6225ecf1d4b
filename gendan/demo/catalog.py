"""Demo catalogue: the mill's product lines and products, with believable 2025 prices in CNY.

Board and tissue are priced per ton; sheeted printing paper per ream (500 sheets). Standard
cost is what the mill's cost accounting carries per unit (fibre, chemicals, energy, labour).
"""

from decimal import Decimal

from gendan.accounts.models import Department
from gendan.catalog.models import Product, ProductLine, Unit
from gendan.demo.registry import DemoContext, demo_step

ROLL = "卷筒，纸芯内径76mm，卷径≤1250mm"
TISSUE_ROLL = "大轴原纸，纸芯内径76mm，卷径≤2000mm"

#: code, name, production department, standard lead time (working days), segments buying it.
LINES: tuple[tuple[str, str, str, int], ...] = (
    ("CM", "瓦楞原纸 Corrugating medium", "pm1", 10),
    ("KL", "牛皮箱板纸 Kraft liner", "pm1", 12),
    ("WB", "白板纸 Coated duplex board", "pm2", 15),
    ("IV", "白卡纸 Ivory board", "pm2", 15),
    ("CP", "文化用纸 双胶纸/铜版纸 Printing paper", "pm3", 12),
    ("TS", "生活用纸原纸 Tissue parent rolls", "tissue", 10),
)

#: line, code, name, grade, grammage, width (rolls), specification, unit, list price, cost.
PRODUCTS: tuple[tuple[str, str, str, str, int, int | None, str, str, str, str], ...] = (
    ("CM", "CM-A-090", "瓦楞原纸 90g", "A级", 90, 1600, ROLL, Unit.TON, "2850", "2420"),
    ("CM", "CM-AA-110", "高强瓦楞原纸 110g", "AA级", 110, 2200, ROLL, Unit.TON, "3050", "2560"),
    ("CM", "CM-B-120", "瓦楞原纸 120g", "B级", 120, 2400, ROLL, Unit.TON, "2780", "2390"),
    ("CM", "CM-AA-140", "高强瓦楞原纸 140g", "AA级", 140, 1800, ROLL, Unit.TON, "3180", "2650"),
    ("CM", "CM-A-160", "瓦楞原纸 160g", "A级", 160, 2500, ROLL, Unit.TON, "2950", "2480"),
    ("KL", "KL-T-140", "再生挂面箱板纸 140g", "B级", 140, 1800, ROLL, Unit.TON, "3380", "2880"),
    ("KL", "KL-AA-170", "牛皮箱板纸 170g", "AA级", 170, 2400, ROLL, Unit.TON, "4350", "3620"),
    ("KL", "KL-A-200", "牛皮箱板纸 200g", "A级", 200, 2200, ROLL, Unit.TON, "4100", "3450"),
    ("KL", "KL-AA-250", "牛皮箱板纸 250g", "AA级", 250, 2500, ROLL, Unit.TON, "4420", "3700"),
    (
        "WB",
        "WB-GB-250S",
        "灰底白板纸 250g 平板",
        "优等品",
        250,
        None,
        "平板 787×1092mm，木托盘包装",
        Unit.TON,
        "3950",
        "3380",
    ),
    (
        "WB",
        "WB-GB-300R",
        "灰底白板纸 300g 卷筒",
        "一等品",
        300,
        1194,
        ROLL,
        Unit.TON,
        "3880",
        "3320",
    ),
    (
        "WB",
        "WB-WB-350S",
        "白底白板纸 350g 平板",
        "优等品",
        350,
        None,
        "平板 889×1194mm，木托盘包装",
        Unit.TON,
        "4280",
        "3600",
    ),
    (
        "IV",
        "IV-FBB-230S",
        "白卡纸 230g 平板",
        "FBB 优等品",
        230,
        None,
        "平板 787×1092mm，木托盘包装",
        Unit.TON,
        "5200",
        "4350",
    ),
    (
        "IV",
        "IV-FBB-300S",
        "白卡纸 300g 平板",
        "FBB 优等品",
        300,
        None,
        "平板 889×1194mm，木托盘包装",
        Unit.TON,
        "5150",
        "4300",
    ),
    ("IV", "IV-SBS-350R", "高白白卡 350g 卷筒", "SBS", 350, 1092, ROLL, Unit.TON, "5600", "4700"),
    ("CP", "CP-OF-070R", "双胶纸 70g 卷筒", "A级", 70, 787, ROLL, Unit.TON, "5650", "4780"),
    (
        "CP",
        "CP-OF-080S",
        "双胶纸 80g 平板",
        "A级",
        80,
        None,
        "平板 787×1092mm，每令500张",
        Unit.REAM,
        "196.00",
        "166.00",
    ),
    (
        "CP",
        "CP-OF-100S",
        "双胶纸 100g 平板",
        "A级",
        100,
        None,
        "平板 889×1194mm，每令500张",
        Unit.REAM,
        "302.00",
        "257.00",
    ),
    (
        "CP",
        "CP-CA-105S",
        "铜版纸 105g 平板",
        "双面铜版 A级",
        105,
        None,
        "平板 787×1092mm，每令500张",
        Unit.REAM,
        "266.00",
        "226.00",
    ),
    (
        "CP",
        "CP-CA-128S",
        "铜版纸 128g 平板",
        "双面铜版 A级",
        128,
        None,
        "平板 889×1194mm，每令500张",
        Unit.REAM,
        "397.00",
        "338.00",
    ),
    (
        "CP",
        "CP-CA-157R",
        "铜版纸 157g 卷筒",
        "双面铜版 A级",
        157,
        889,
        ROLL,
        Unit.TON,
        "5850",
        "4950",
    ),
    (
        "TS",
        "TS-PR-13",
        "生活用纸原纸 13g",
        "原生木浆",
        13,
        2800,
        TISSUE_ROLL,
        Unit.TON,
        "6300",
        "5350",
    ),
    (
        "TS",
        "TS-PR-15",
        "生活用纸原纸 15g",
        "原生木浆",
        15,
        2750,
        TISSUE_ROLL,
        Unit.TON,
        "6150",
        "5250",
    ),
    (
        "TS",
        "TS-HT-17",
        "擦手纸原纸 17g",
        "竹浆混配",
        17,
        2760,
        TISSUE_ROLL,
        Unit.TON,
        "5900",
        "5050",
    ),
)


@demo_step(order=20)
def create_catalog(ctx: DemoContext) -> None:
    departments = {d.code: d for d in Department.objects.all()}
    lines = {
        code: ProductLine.objects.create(
            code=code,
            name=name,
            production_department=departments[department],
            standard_lead_days=lead_days,
        )
        for code, name, department, lead_days in LINES
    }
    for line, code, name, grade, grammage, width, spec, unit, price, cost in PRODUCTS:
        ctx.products.append(
            Product.objects.create(
                code=code,
                name=name,
                line=lines[line],
                grade=grade,
                grammage=grammage,
                width_mm=width,
                specification=spec,
                unit=unit,
                list_price=Decimal(price),
                standard_cost=Decimal(cost),
            )
        )
