"""Department review in a real browser: a reviewer files a report with a checklist item left
out, sees the error beside that item, completes it; an attendee then signs the minutes."""

import os
import re

import pytest
from django.utils import timezone

from gendan.reviews.actions import file_report, schedule_meeting, update_minutes
from gendan.reviews.checklists import checklist_for
from gendan.reviews.models import ReviewState
from tests.browser.chromium import chromium_missing_reason
from tests.factories import PASSWORD, department
from tests.reviews.conftest import (  # noqa: F401  (fixtures)
    FILER,
    REVIEWING,
    _english,
    attendees_for,
    in_review,
    report,
    review_of,
    staff,
)

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    # The seeded departments, settings and templates must survive the flush after the test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        chromium_missing_reason() is not None, reason=chromium_missing_reason() or ""
    ),
]


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def test_reviewer_completes_a_missing_item_and_attendee_signs(browser_page, staff, in_review):  # noqa: F811
    page = browser_page
    review = review_of(in_review, "quality")
    items = checklist_for("quality").items

    sign_in(page, "quality_reviewer")
    page.goto(f"/reviews/{review.pk}/")
    for item in items[:-1]:  # the last item is left unanswered
        page.check(f"input[name='item_{item.code}'][value='ok']")
    page.check("input[name='conclusion'][value='pass']")
    page.fill("#id_output_quality_plan", "Burst and ring crush on every reel; AQL 1.0.")
    page.click("form.report-form button[type=submit]")

    missing = page.locator(f"[data-testid='item-item_{items[-1].code}']")
    missing.locator(".errorlist").wait_for()
    assert "Answer this checklist item" in missing.inner_text()
    review.refresh_from_db()
    assert review.state == ReviewState.OPEN

    page.check(f"input[name='item_{items[-1].code}'][value='ok']")
    page.click("form.report-form button[type=submit]")
    page.get_by_text("Report as filed").wait_for()
    review.refresh_from_db()
    assert review.state == ReviewState.FILED

    for code in REVIEWING:
        if code != "quality":
            file_report(review=review_of(in_review, code), user=staff[FILER[code]], **report(code))
    meeting = schedule_meeting(
        order=in_review,
        user=staff["sales_head"],
        held_at=timezone.now(),
        place="Room 2",
        attendees=attendees_for(staff),
    )
    meeting = update_minutes(
        meeting=meeting,
        user=staff["sales_head"],
        decision="approved",
        actions=[
            {
                "description": "PM2 campaign",
                "department": department("production"),
                "owner": None,
                "due_date": in_review.requested_date,
            }
        ],
    )

    sign_in(page, "finance_reviewer")
    page.goto(f"/reviews/meetings/{meeting.pk}/")
    page.fill("#id_password", "not my password")
    page.click("#sign-form button[type=submit]")
    page.locator("#sign-form .errorlist").wait_for()
    page.fill("#id_password", PASSWORD)
    page.click("#sign-form button[type=submit]")
    page.locator("[data-testid='you-signed']").wait_for()
    assert meeting.valid_signatures().filter(signer=staff["finance_reviewer"]).exists()
