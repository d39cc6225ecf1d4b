from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("gendan.core.urls")),
    path("orders/", include("gendan.orders.urls")),
    path("customers/", include("gendan.customers.urls")),
    path("products/", include("gendan.catalog.urls")),
    path("tasks/", include("gendan.tasks.urls")),
    path("purchasing/", include("gendan.purchasing.urls")),
    path("production/", include("gendan.production.urls")),
    path("notifications/", include("gendan.notifications.urls")),
    path("reviews/", include("gendan.reviews.urls")),
    path("contracts/", include("gendan.contracts.urls")),
    path("documents/", include("gendan.documents.urls")),
    path("intake/", include("gendan.intake.urls")),
    path("credit/", include("gendan.credit.urls")),
    path("planning/", include("gendan.planning.urls")),
    path("emergency/", include("gendan.emergency.urls")),
    path("quality/", include("gendan.quality.urls")),
    path("warehouse/", include("gendan.warehouse.urls")),
    path("shipping/", include("gendan.shipping.urls")),
    path("monitoring/", include("gendan.monitoring.urls")),
    path("aftersales/", include("gendan.aftersales.urls")),
    path("api/v1/shop/", include("gendan.intake.api_urls")),
    path("api/", include("gendan.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
