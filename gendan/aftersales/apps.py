from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AfterSalesConfig(AppConfig):
    name = "gendan.aftersales"
    verbose_name = _("After-sales")
