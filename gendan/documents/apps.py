import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "gendan.documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # WeasyPrint reports every rendering step at INFO; printing a form is not news.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
