"""Background jobs of the department review."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils.translation import gettext as _

from gendan.reviews.models import RejectionNotice


def customer_email(order: object) -> str:
    """The customer's e-mail address for documents: its primary contact's, if it has one."""
    customer = order.customer  # type: ignore[attr-defined]
    contact = customer.contacts.exclude(email="").order_by("-is_primary", "name").first()
    return contact.email if contact is not None else ""


@task()
def send_rejection_email(*, notice_id: int) -> int:
    """E-mail the review result (reasons and alternatives) to the customer, if configured."""
    notice = RejectionNotice.objects.select_related("order", "order__customer").get(pk=notice_id)
    address = customer_email(notice.order)
    if not address:
        return 0
    lines = [notice.reasons]
    if notice.alternative_date:
        lines.append(_("Another delivery date: %(date)s") % {"date": notice.alternative_date})
    if notice.changed_requirements:
        lines.append(_("Changed requirements: %(text)s") % {"text": notice.changed_requirements})
    if notice.other_alternatives:
        lines.append(notice.other_alternatives)
    message = EmailMessage(
        subject=_("Your order %(ref)s: result of our review")
        % {"ref": notice.order.customer_reference or notice.order.number},
        body="\n\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    return message.send()
