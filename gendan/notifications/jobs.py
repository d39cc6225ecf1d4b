"""Background jobs of the notifications app (run by `gendan worker`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task


@task()
def send_notification_email(*, emails: list[str], message: str, url: str) -> int:
    body = message if not url else f"{message}\n\n{url}"
    return send_mail(
        subject=f"[Gendan] {message[:80]}",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=emails,
        fail_silently=False,
    )
