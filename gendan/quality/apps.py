from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "gendan.quality"
    verbose_name = _("Quality")

    def ready(self) -> None:
        from gendan.production.hooks import FINISH_GUARDS
        from gendan.quality.guards import no_open_nonconformance

        if no_open_nonconformance not in FINISH_GUARDS:
            FINISH_GUARDS.append(no_open_nonconformance)
