"""The order confirmation for the customer (C2): a PDF kept with the order, e-mailed to the
customer's contact where the customer has an e-mail address."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.contracts.models import OrderConfirmation
from gendan.core.errors import Blocked, NotPermitted
from gendan.documents.actions import store_document
from gendan.documents.models import Category
from gendan.documents.titles import form_title
from gendan.ledger.models import CommunicationChannel, Kind
from gendan.ledger.record import record
from gendan.orders.models import Order
from gendan.orders.permissions import can_edit_order
from gendan.orders.status import Status
from gendan.reviews.jobs import customer_email

#: Statuses in which an order confirmation can be issued (again).
CONFIRMABLE = frozenset({Status.CONFIRMED, Status.IN_EXECUTION})


def issue_confirmation(
    *, order: Order, user: User, language: str | None = None, send_email: bool = True
) -> OrderConfirmation:
    """Issue the order confirmation PDF and, where configured, e-mail it to the customer."""
    from gendan.contracts.jobs import send_confirmation_email
    from gendan.contracts.printing import confirmation_pdf

    if not can_edit_order(user, order):
        raise NotPermitted(_("Order confirmations are issued by sales."))
    language = language or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise Blocked(fields={"language": [_("Choose Chinese or English.")]})
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status not in CONFIRMABLE:
            raise Blocked(
                _("An order confirmation is issued once the order is confirmed; it is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        count = OrderConfirmation.objects.filter(order=locked).count()
        number = f"QR-{locked.number}" + (f"-{count + 1}" if count else "")
        document = store_document(
            order=locked,
            user=user,
            category=Category.CONFIRMATION,
            title=f"{form_title('order_confirmation', language)} {number}",
            content=confirmation_pdf(locked, number=number, language=language),
            filename=f"{number}.pdf",
            source=f"orders.order:{locked.pk}",
            content_type="application/pdf",
        )
        address = customer_email(locked) if send_email else ""
        confirmation = OrderConfirmation.objects.create(
            order=locked,
            number=number,
            document=document,
            language=language,
            emailed_to=address,
            issued_by=user,
        )
        if address:
            record(
                order=locked,
                kind=Kind.COMMUNICATION,
                actor=user,
                summary=_("Order confirmation %(number)s sent to the customer by e-mail")
                % {"number": number},
                channel=CommunicationChannel.EMAIL,
                counterpart=address,
                data={
                    "event": "confirmation.sent",
                    "confirmation": confirmation.pk,
                    "document": document.pk,
                },
            )
            transaction.on_commit(
                lambda: send_confirmation_email.enqueue(confirmation_id=confirmation.pk)
            )
        else:
            record(
                order=locked,
                kind=Kind.SYSTEM,
                actor=user,
                summary=_("Order confirmation %(number)s issued (not e-mailed: %(why)s)")
                % {
                    "number": number,
                    "why": _("the customer has no e-mail address")
                    if send_email
                    else _("e-mail not requested"),
                },
                data={
                    "event": "confirmation.issued",
                    "confirmation": confirmation.pk,
                    "document": document.pk,
                },
            )
    return confirmation
