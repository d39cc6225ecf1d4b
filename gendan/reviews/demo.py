"""Demo data of the department review: before each demo order's `approve_review`, its
departments file their reports, sales holds the meeting and every attendee signs the minutes,
all through the real actions (found automatically by `gendan.demo`)."""

import datetime as dt
from typing import Any

from gendan.demo.registry import DemoContext, on_transition
from gendan.orders.models import Order
from gendan.reviews.actions import file_report, schedule_meeting, sign_minutes, update_minutes
from gendan.reviews.checklists import checklist_for
from gendan.reviews.models import ReviewState
from gendan.reviews.selectors import current_reviews

#: What the demo departments write (Chinese, as the demo's people would).
OUTPUTS = {
    "support_measures": "按现行工艺卡生产，首卷由技术员跟机确认。",
    "production_plan": "排入本周纸机计划，按克重归并生产，复卷后入库。",
    "quality_plan": "按国标优等品检验：定量、水分、耐破、环压逐卷抽检。",
    "purchase_plan": "浆料与化学品按安全库存补货，无需新增供应商。",
    "financial_advice": "毛利率符合目标，按合同条款跟踪回款。",
    "measures": "按常规安排执行。",
}
CONDITIONS = "首批货逐卷检测耐破指数并随货附检验报告。"


def _report(code: str, conditional: bool) -> dict[str, Any]:
    definition = checklist_for(code)
    return {
        "conclusion": "conditions" if conditional else "pass",
        "checklist": {item.code: {"answer": "ok", "note": ""} for item in definition.items},
        "outputs": {o.code: OUTPUTS.get(o.code, OUTPUTS["measures"]) for o in definition.outputs},
        "figures": {"direct_cost_amount": "0", "indirect_cost_amount": "0"},
        "conditions": CONDITIONS if conditional else "",
    }


def _reviewer(ctx: DemoContext, code: str) -> Any:
    return ctx.users.get(code) or ctx.users.get(f"{code}_head")


@on_transition("approve_review", when="before")
def review_and_sign(ctx: DemoContext, order: Order, story: Any) -> None:
    from gendan.accounts.models import Department
    from gendan.demo.people import DEMO_PASSWORD

    now = ctx.clock.now()
    start = max(order.status_changed_at, now - dt.timedelta(hours=20))
    step = (now - start) / 4

    def at(n: int) -> None:
        ctx.clock.travel(start + step * n)

    at(1)
    reviews = current_reviews(order)
    people = [ctx.users["sales_head"]]
    for review in reviews:
        person = _reviewer(ctx, review.department.code)
        if review.state == ReviewState.OPEN and person is not None:
            conditional = review.department.code == "quality" and story.index % 4 == 0
            file_report(review=review, user=person, **_report(review.department.code, conditional))
        if person is not None:
            people.append(person)
    at(2)
    meeting = schedule_meeting(
        order=order,
        user=ctx.users["sales_head"],
        held_at=start + step * 2,
        place="三楼会议室",
        attendees=people,
    )
    meeting = update_minutes(
        meeting=meeting,
        user=ctx.users["sales_head"],
        discussion="各部门汇报评审结论，无重大分歧。",
        decision="approved",
        decision_notes="订单通过评审，转合同签订。",
        actions=[
            {
                "description": "按评审生产计划排产",
                "department": Department.objects.get(code="production"),
                "owner": None,
                "due_date": order.promised_date or order.requested_date,
            }
        ],
    )
    at(3)
    for person in people:
        sign_minutes(meeting=meeting, user=person, password=DEMO_PASSWORD)
    ctx.clock.travel(now)
