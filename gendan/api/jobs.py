"""Background jobs of the API (run by `gendan worker`)."""

from django.tasks import task

from gendan.api.idempotency import purge_expired_keys


@task()
def purge_idempotency_keys() -> int:
    """Forget stored answers older than 24 hours (scheduled hourly by `gendan worker`)."""
    return purge_expired_keys()
