"""Demo customers: packaging plants, printing houses, publishers, tissue converters, traders.

Names are made up from a city, a trade name and the usual company suffix; any likeness to a
real company is a coincidence. Each customer carries its segment (what it buys) in `notes`
and in `ctx.extra["segments"]`, which the orders step uses to choose products.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from gendan.customers.models import Contact, CreditRating, Customer
from gendan.demo.registry import DemoContext, demo_step


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    share: int
    suffixes: tuple[str, ...]
    #: Product line codes this kind of customer buys.
    lines: tuple[str, ...]
    credit_range: tuple[int, int]
    titles: tuple[str, ...]


SEGMENTS: tuple[Segment, ...] = (
    Segment(
        "packaging",
        "纸箱包装厂",
        16,
        ("包装制品有限公司", "纸箱厂", "纸品包装有限公司", "彩印包装有限公司"),
        ("CM", "KL", "WB"),
        (2_000_000, 6_000_000),
        ("采购经理", "生产厂长", "采购主管"),
    ),
    Segment(
        "printing",
        "印刷厂",
        8,
        ("印务有限公司", "印刷有限公司", "彩色印刷厂"),
        ("CP", "IV", "WB"),
        (1_000_000, 3_000_000),
        ("印务主管", "采购经理", "生产经理"),
    ),
    Segment(
        "publisher",
        "出版社",
        4,
        ("文艺出版社", "教育出版社", "出版传媒有限公司"),
        ("CP",),
        (1_000_000, 2_500_000),
        ("出版科科长", "印制部主任"),
    ),
    Segment(
        "tissue",
        "生活用纸加工厂",
        6,
        ("生活用品有限公司", "卫生用品有限公司", "纸业加工厂"),
        ("TS",),
        (1_500_000, 5_000_000),
        ("采购经理", "厂长"),
    ),
    Segment(
        "trader",
        "纸张贸易商",
        6,
        ("纸业贸易有限公司", "纸张经营部", "供应链有限公司"),
        ("CM", "KL", "CP", "IV"),
        (3_000_000, 8_000_000),
        ("总经理", "业务经理"),
    ),
)

#: city, province, region.
CITIES: tuple[tuple[str, str, str], ...] = (
    ("昆山", "江苏", "华东"),
    ("苏州", "江苏", "华东"),
    ("无锡", "江苏", "华东"),
    ("嘉兴", "浙江", "华东"),
    ("宁波", "浙江", "华东"),
    ("温州", "浙江", "华东"),
    ("义乌", "浙江", "华东"),
    ("上海", "上海", "华东"),
    ("合肥", "安徽", "华东"),
    ("泉州", "福建", "华东"),
    ("厦门", "福建", "华东"),
    ("青岛", "山东", "华东"),
    ("临沂", "山东", "华东"),
    ("东莞", "广东", "华南"),
    ("佛山", "广东", "华南"),
    ("广州", "广东", "华南"),
    ("中山", "广东", "华南"),
    ("天津", "天津", "华北"),
    ("廊坊", "河北", "华北"),
    ("武汉", "湖北", "华中"),
    ("郑州", "河南", "华中"),
    ("长沙", "湖南", "华中"),
    ("成都", "四川", "西南"),
    ("重庆", "重庆", "西南"),
    ("西安", "陕西", "西北"),
    ("沈阳", "辽宁", "东北"),
)
TRADE_NAMES = [
    "恒鑫",
    "华泰",
    "永丰",
    "宏达",
    "金盛",
    "瑞丰",
    "德利",
    "盛源",
    "嘉禾",
    "鼎新",
    "万通",
    "联成",
    "佳美",
    "顺成",
    "福临",
    "昌隆",
    "明远",
    "博雅",
    "文澜",
    "青禾",
    "柔韵",
    "洁雅",
    "南粤",
    "北辰",
    "天泽",
    "汇通",
    "锦程",
    "荣达",
    "亿丰",
    "新元",
    "德润",
    "润和",
    "华彩",
    "精诚",
    "远航",
    "恒通",
    "云帆",
    "鑫源",
    "和美",
    "长荣",
    "兴业",
    "宝丰",
    "启明",
    "立信",
    "中正",
    "东升",
    "广源",
    "大成",
    "同益",
    "安泰",
]
ROADS = (
    "工业大道",
    "经济开发区纬三路",
    "高新区科技路",
    "临港物流园",
    "城东工业园兴业路",
    "纸业园区",
)
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭"
GIVEN_NAMES = [
    "伟",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "海燕",
    "建华",
    "志强",
    "晓东",
    "春梅",
    "国庆",
    "立新",
    "红梅",
    "建国",
    "文斌",
    "丽娟",
    "小军",
    "俊杰",
    "雪梅",
]

#: rating, share of customers, payment terms offered.
CREDIT: tuple[tuple[CreditRating, int, tuple[str, ...]], ...] = (
    (CreditRating.A, 25, ("月结60天", "承兑汇票90天", "月结45天")),
    (CreditRating.B, 40, ("月结30天", "货到30天付款")),
    (CreditRating.C, 20, ("款到发货", "月结15天")),
    (CreditRating.D, 5, ("款到发货",)),
    (CreditRating.NEW, 10, ("预付30%，余款发货前付清",)),
)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10)}{rng.randrange(10**8):08d}"


def _segments_for(count: int, rng: random.Random) -> list[Segment]:
    """Every segment at least once (when count allows), the rest in proportion to share."""
    chosen = list(SEGMENTS[:count])
    chosen += rng.choices(SEGMENTS, weights=[s.share for s in SEGMENTS], k=count - len(chosen))
    return chosen


def _limit(segment: Segment, rating: CreditRating, rng: random.Random) -> Decimal:
    if rating == CreditRating.D:
        return Decimal("0")
    if rating == CreditRating.NEW:
        return Decimal("200000")
    low, high = segment.credit_range
    return Decimal(rng.randrange(low, high + 1, 50_000))


@demo_step(order=30)
def create_customers(ctx: DemoContext) -> None:
    rng = ctx.rng
    names = rng.sample(TRADE_NAMES, k=len(TRADE_NAMES))
    segments: dict[int, Segment] = {}
    for index, segment in enumerate(_segments_for(ctx.options.customers, rng), start=1):
        city, province, region = rng.choice(CITIES)
        trade = names[(index - 1) % len(names)]
        if index > len(names):
            trade += str(index // len(names) + 1)
        if segment.key == "publisher":
            name = f"{province}{trade}{rng.choice(segment.suffixes)}"
        else:
            name = f"{city}{trade}{rng.choice(segment.suffixes)}"
        rating = rng.choices([c[0] for c in CREDIT], weights=[c[1] for c in CREDIT])[0]
        terms = rng.choice(next(c[2] for c in CREDIT if c[0] == rating))
        customer = Customer.objects.create(
            code=f"C{index:04d}",
            name=name,
            region=f"{region}·{province}{city if city != province else ''}",
            address=f"{province}{city}{rng.choice(ROADS)}{rng.randrange(1, 300)}号",
            credit_limit=_limit(segment, rating, rng),
            credit_rating=rating,
            payment_terms=terms,
            is_key_account=rating == CreditRating.A and rng.random() < 0.5,
            notes=f"客户类型：{segment.label}",
        )
        for position in range(rng.choice((1, 2, 2, 3))):
            contact_name = person_name(rng)
            Contact.objects.create(
                customer=customer,
                name=contact_name,
                title=segment.titles[position % len(segment.titles)],
                phone=mobile(rng),
                email=f"buyer{position + 1}@c{index:04d}.example",
                is_primary=position == 0,
            )
        ctx.customers.append(customer)
        segments[customer.pk] = segment
    ctx.extra["segments"] = segments
