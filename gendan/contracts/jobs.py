"""Background jobs of the contracts app."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.contracts.models import OrderConfirmation


@task()
def send_confirmation_email(*, confirmation_id: int) -> int:
    """E-mail the order confirmation PDF to the address recorded when it was issued."""
    confirmation = OrderConfirmation.objects.select_related("order", "document").get(
        pk=confirmation_id
    )
    if not confirmation.emailed_to:
        return 0
    order = confirmation.order
    with translation.override(confirmation.language):
        subject = _("Order confirmation %(number)s") % {"number": confirmation.number}
        body = _(
            "Dear customer,\n\nplease find attached our confirmation of your order %(ref)s "
            "(our number %(number)s).\n\nKind regards"
        ) % {"ref": order.customer_reference or order.number, "number": order.number}
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[confirmation.emailed_to],
    )
    with confirmation.document.file.open("rb") as handle:
        message.attach(confirmation.document.filename, handle.read(), "application/pdf")
    sent = message.send()
    OrderConfirmation.objects.filter(pk=confirmation.pk).update(emailed_at=timezone.now())
    return sent
