"""The engine's reasons as sentences a clerk or a planner reads on the order page."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.planning.builder import Built
from gendan.planning.materials import MaterialWait, Source
from gendan.scheduling import Reason, ReasonKind


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _quantity(value: object) -> str:
    text = f"{value:f}" if hasattr(value, "normalize") else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def material_text(wait: MaterialWait) -> str:
    """One material the order waits for, and where it comes from."""
    values = {
        "material": f"{wait.material_code} {wait.material_name}",
        "short": _quantity(wait.short),
        "reference": wait.reference,
        "arrives": wait.arrives.isoformat() if wait.arrives else "",
    }
    if wait.source == Source.PURCHASE_ORDER:
        return (
            _(
                "%(material)s: %(short)s missing, on purchase order %(reference)s expected "
                "%(arrives)s"
            )
            % values
        )
    if wait.source == Source.LEAD_TIME:
        return (
            _(
                "%(material)s: %(short)s missing and not on order; bought today from "
                "%(reference)s it arrives %(arrives)s"
            )
            % values
        )
    return _("%(material)s: %(short)s missing and no supplier is known for it") % values


def _step_name(built: Built, order_id: str, op_id: str | None) -> str:
    if op_id is None:
        return _("a step")
    ref = built.ops.get((order_id, op_id))
    if ref is None:
        return op_id
    if ref.parts > 1:
        return _("%(name)s (part %(part)d of %(parts)d)") % {
            "name": ref.name,
            "part": ref.part,
            "parts": ref.parts,
        }
    return ref.name


def reason_text(built: Built, order_id: str, reason: Reason | None) -> str:
    """Why the order's earliest date is what it is, in one or two sentences."""
    if reason is None:
        return _("No plan was found within the time limit; nothing can be said about why.")
    last = reason.chain[-1] if reason.chain else None
    step = _step_name(built, order_id, reason.operation_id)
    start = _when(built.moment(last.start)) if last else ""
    if reason.kind == ReasonKind.WORK_CENTRE and reason.work_centre:
        blocker = last.blocker[0] if last and last.blocker else None
        waited = dict(reason.wait_by_centre).get(reason.work_centre, 0)
        text = _(
            "Bottleneck: %(centre)s is busy with other orders%(blocker)s; %(step)s waits "
            "%(hours)s h for it and starts %(start)s."
        ) % {
            "centre": built.centre_name(reason.work_centre),
            "blocker": (_(" (next free after order %(order)s)") % {"order": blocker})
            if blocker
            else "",
            "step": step,
            "hours": built.hours(waited),
            "start": start,
        }
    elif reason.kind == ReasonKind.CALENDAR and reason.work_centre:
        text = _(
            "%(centre)s is closed (night, rest day or holiday) when %(step)s could run; it "
            "starts %(start)s."
        ) % {"centre": built.centre_name(reason.work_centre), "step": step, "start": start}
    elif reason.kind == ReasonKind.MATERIAL:
        waits = sorted(
            (w for w in built.waits.get(order_id, []) if w.usable_from is not None),
            key=lambda w: w.usable_from or built.now,
            reverse=True,
        )
        text = _("Waiting for material, usable from %(start)s: %(materials)s.") % {
            "start": start,
            "materials": "; ".join(material_text(w) for w in waits) or _("release date"),
        }
    elif reason.kind == ReasonKind.LEAD_TIME:
        text = _(
            "Nothing waits: the date is the order's own processing time, starting %(start)s "
            "(work planned within the frozen window stays where it is)."
        ) % {"start": start}
    else:
        text = _("The date follows from the order's own steps, one after the other.")
    queues = [(code, units) for code, units in reason.wait_by_centre if units > 0]
    if queues:
        text += " " + _("Queues on the way: %(queues)s.") % {
            "queues": ", ".join(
                f"{built.centre_name(code)} {built.hours(units)} h" for code, units in queues[:4]
            )
        }
    return text
