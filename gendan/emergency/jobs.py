"""Emergency orders' background job: production's options, computed as soon as the processing
sheet goes out (several engine questions, seconds each)."""

import logging

from django.tasks import task

from gendan.emergency.models import EmergencyCase, OptionsState

log = logging.getLogger(__name__)


@task()
def compute_options_job(case_id: int) -> str:
    from gendan.emergency.actions import store_options

    case = EmergencyCase.objects.select_related("order").filter(pk=case_id).first()
    if case is None:
        return "missing"
    try:
        stored = store_options(case=case)
    except Exception:
        log.exception("options of emergency %s failed", case.number)
        EmergencyCase.objects.filter(pk=case_id).update(options_state=OptionsState.FAILED)
        raise
    return str(stored.options_state)
