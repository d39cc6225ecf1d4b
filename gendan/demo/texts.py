"""What the demo's people say and write: reasons, comments and communications of a paper mill.

Texts are Chinese, as the mill's staff would write them; `{placeholders}` are filled from the
order (product, grammage, quantity, customer contact...) when the demo uses them.
"""

import random
from dataclasses import dataclass
from typing import Any

from gendan.ledger.models import CommunicationChannel as C


@dataclass(frozen=True)
class Talk:
    """A communication template: channel, who speaks for us (a person key), summary, body.

    `counterpart` None means the customer's contact; else a supplier or carrier.
    """

    channel: C
    speaker: str
    summary: str
    body: str = ""
    counterpart: str | None = None


def fill(text: str, facts: dict[str, Any]) -> str:
    return text.format(**facts)


def pick[T](rng: random.Random, items: tuple[T, ...]) -> T:
    return rng.choice(items)


# --- intake ------------------------------------------------------------------------------

INTAKE_TALKS: tuple[Talk, ...] = (
    Talk(
        C.CALL,
        "clerk",
        "与客户确认规格：{product}，{grammage}g/m²，{width_text}，数量{quantity}",
        "客户确认按来函规格生产，纸芯内径76mm，允许±3%溢短装。交货地点：{place}。",
    ),
    Talk(
        C.EMAIL,
        "clerk",
        "收到客户盖章采购订单扫描件（{reference}）",
        "扫描件已存档，原件随后快递。客户要求随货附质检报告。",
    ),
    Talk(
        C.CHAT,
        "clerk",
        "客户微信询价并确认交期要求：{requested}前到货",
        "已按价目表报价，客户表示可以接受，待正式下单。",
    ),
    Talk(
        C.CALL,
        "clerk",
        "口头订单已转为书面确认函，客户回传签字页",
        "按公司规定，口头订单须书面确认后方可进入评审。确认函编号{reference}。",
    ),
    Talk(
        C.VISIT,
        "clerk",
        "拜访客户采购部，了解下季度用纸计划",
        "客户下季度预计月用量增加约20%，本单为试单，若质量稳定将签年度协议。",
    ),
)

#: (reason for sending the order back, what the clerk then agrees with the customer).
NEGOTIATIONS: tuple[tuple[str, Talk], ...] = (
    (
        "客户要求把克重从{grammage}g改为{new_grammage}g，需要重新核价",
        Talk(
            C.CALL,
            "clerk",
            "与客户确认改克重：{grammage}g → {new_grammage}g，单价相应调整",
            "客户终端纸箱减重，改用{new_grammage}g。已按新克重重新报价，客户同意。",
        ),
    ),
    (
        "单价低于本季度最低限价，需与客户重新议价",
        Talk(
            C.MEETING,
            "clerk",
            "与客户当面议价，单价按限价执行",
            "客户接受限价，要求优先保证交期。参会：销售部刘洋、跟单员及客户采购。",
        ),
    ),
    (
        "新客户资料不全：缺营业执照复印件和近一年财务报表",
        Talk(
            C.EMAIL,
            "clerk",
            "客户补交营业执照和财务报表",
            "资料已转财务部做信用评估。",
        ),
    ),
)

# --- department review -------------------------------------------------------------------

REVIEW_TALKS: tuple[Talk, ...] = (
    Talk(
        C.CALL,
        "procurement",
        "进口针叶浆在青岛港压港，预计晚到{delay}天",
        "船期延误。已联系备选供应商调配200吨阔叶浆，正在评估对本单交期的影响。",
        counterpart="青岛港货代 王经理",
    ),
    Talk(
        C.CALL,
        "technical",
        "与客户技术部确认环压指数要求可否按国标优等品执行",
        "客户同意按GB/T 13023优等品验收，不再单独提高环压指标。",
    ),
    Talk(
        C.CALL,
        "procurement",
        "国废OCC到货价上涨，供应商要求下周起调价",
        "已锁定本月用量，本单原料成本不受影响。",
        counterpart="嘉兴再生资源回收站 周总",
    ),
    Talk(
        C.EMAIL,
        "quality",
        "向客户索取验收标准和样板",
        "客户提供了上一批次的合格样板，质量部据此制定检验计划。",
    ),
)
REVIEW_COMMENTS: tuple[tuple[str, str], ...] = (
    ("finance", "客户当前应收余额{receivable}万元，无逾期，信用额度内，同意。"),
    ("finance", "客户有{overdue}万元逾期超过30天，建议发货前收回逾期款。"),
    ("production", "PM1 下周排满，建议排在{grammage}g批次开机时一起生产，可保交期。"),
    ("production", "本单批量小，复卷机负荷紧张，建议安排夜班复卷。"),
    ("technical", "规格在工艺能力范围内，沿用现有配浆方案。"),
)

# --- contract ----------------------------------------------------------------------------

CONTRACT_TALKS: tuple[Talk, ...] = (
    Talk(
        C.EMAIL,
        "clerk",
        "合同草稿已发客户，客户对违约责任条款提出修改意见",
        "客户要求逾期交货违约金上限由10%降为5%，已转法务审核。",
    ),
    Talk(
        C.CALL,
        "clerk",
        "客户确认合同，盖章件已快递寄回",
        "快递单号SF{tracking}，预计明天到。",
    ),
)
LEGAL_NOTES = (
    "付款条款已按公司标准修订；质量异议期定为到货后15天。",
    "同意客户对违约金条款的修改，上限5%。",
    "合同条款齐全：品名、规格、数量、价格、交货期、付款方式、质量标准、违约责任。",
)

# --- execution, shipping, delivery -------------------------------------------------------

EXECUTION_COMMENTS: tuple[tuple[str, str], ...] = (
    ("production_head", "PM2 断纸两次，本批生产延误约8小时，已调整后续排产。"),
    ("quality", "第3卷水分9.6%超出范围（标准6–9%），已复烘，复检合格。"),
    ("production", "已下达生产任务单，{workshop}按{grammage}g批次排产。"),
    ("quality_head", "首检合格：定量、水分、耐破指数均在标准内。"),
    ("production_head", "复卷机换刀，小批量订单改到夜班复卷，不影响交期。"),
)
EXECUTION_TALKS: tuple[Talk, ...] = (
    Talk(
        C.CALL,
        "clerk",
        "告知客户：纸机断纸导致生产延误半天，交期不变",
        "客户表示理解，要求发货前一天通知。",
    ),
    Talk(
        C.CALL,
        "procurement",
        "淀粉供应商到货推迟2天，已启用安全库存",
        "安全库存可满足一周用量，不影响本单。",
        counterpart="山东金玉米淀粉 销售部",
    ),
)
SHIPPING_TALKS_FESTIVAL: tuple[Talk, ...] = (
    Talk(
        C.CALL,
        "logistics",
        "春节前货车紧张，物流公司要求加价15%才能保证车辆",
        "已请示销售部经理同意加价，确保节前送达。",
        counterpart="顺达物流 调度中心",
    ),
)
SHIPPING_TALKS: tuple[Talk, ...] = (
    Talk(
        C.CALL,
        "logistics",
        "车辆已落实：两台17.5米平板车，车牌浙A·{plate}",
        "装车时间明早8点，随车附出厂检验报告和装箱单。",
        counterpart="顺达物流 调度中心",
    ),
    Talk(
        C.CALL,
        "clerk",
        "发货通知：{quantity}已装车，预计{arrival}到达",
        "客户已安排卸货，收货人：{contact}。",
    ),
)
DELIVERY_TALKS: tuple[Talk, ...] = (
    Talk(
        C.CALL, "logistics", "司机来电：已到达客户仓库，等待卸货", "", counterpart="承运司机 老陈"
    ),
    Talk(C.CALL, "clerk", "客户确认收货，签收单已回传", "数量与出库单一致，外观无破损。"),
)
COMPLAINTS: tuple[tuple[str, str], ...] = (
    (
        "客户反馈部分卷筒边部起皱，上机有断纸",
        "留样复检结果合格，判定为客户仓库受潮所致；已提供储存建议。",
    ),
    (
        "客户反馈纸板翘曲，影响模切",
        "技术部上门查看，建议印前平衡24小时；后续批次出厂水分控制在7%以下。",
    ),
    (
        "客户反馈耐破强度偏低",
        "复检留样耐破指数3.2 kPa·m²/g，符合合同要求；与客户沟通后确认为测试方法差异。",
    ),
)
FOLLOW_UP_TALKS: tuple[Talk, ...] = (
    Talk(C.CALL, "clerk", "回访：客户对质量和交期满意，下月预计追加订单", "满意度评分：5分。"),
    Talk(C.CALL, "clerk", "回访：客户总体满意，希望缩短交期", "满意度评分：4分。已反馈生产部。"),
)
CLOSING_NOTES: tuple[tuple[str, str], ...] = (
    ("finance", "货款已全部到账，对账无差异。"),
    ("finance", "承兑汇票已收妥，到期日已登记。"),
    ("clerk", "订单资料已归档：合同、出库单、签收单、质检报告。"),
)

# --- holds, rejections, cancellations, emergencies ---------------------------------------

HOLD_REASONS = (
    "客户资金紧张，要求暂缓发货",
    "客户产品改版，暂停生产，等待新规格确认",
    "原料短缺：进口浆延误，暂停排产",
    "客户仓库满仓，要求推迟两周送货",
)
RESUME_NOTES = (
    "客户已付清逾期款，恢复执行。",
    "新规格已确认，恢复执行。",
    "原料已到厂，恢复排产。",
)
REJECT_REASONS = (
    "客户信用评级低且有逾期未还款项，财务评审不通过",
    "交期无法满足：PM2 检修期间无法生产该克重",
    "技术评审不通过：客户要求的耐破指数超出我厂工艺能力",
    "价格低于成本，毛利为负，不予接单",
)
REOPEN_NOTES = ("客户接受延期交货，重新提交评审。", "客户同意预付30%货款，重新提交。")
CANCEL_REASONS = (
    "客户取消订单：终端项目取消",
    "价格未谈妥，客户转向其他供应商",
    "客户重复下单，取消本单",
    "客户要求的交期无法满足，双方协商取消",
)
EMERGENCY_REASONS = (
    "客户春节前促销备货，要求5天内到货",
    "重点客户生产线断料，要求72小时内补货",
    "总经理指示：重点客户“双11”备货，优先保障",
    "客户出口订单提前，要求一周内交货",
)
SUPPLIER_PLATES = ("B7K23", "D5528", "C9Q17", "H2M80", "F3L61")
