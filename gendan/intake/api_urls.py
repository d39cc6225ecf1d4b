"""The web shop's endpoint, mounted at /api/v1/shop/ (see gendan/urls.py)."""

from django.urls import path

from gendan.intake.api import ShopOrderView

app_name = "shop_api"
urlpatterns = [path("orders/", ShopOrderView.as_view(), name="orders")]
