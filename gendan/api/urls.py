"""The REST API under /api/v1/, and its schema and documentation pages under /api/."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from gendan.api.views.auth import MeView, TokenView
from gendan.api.views.ledger import CommentView, CommunicationView, LedgerListView
from gendan.api.views.masterdata import CustomerViewSet, ProductLineViewSet, ProductViewSet
from gendan.api.views.orders import OrderViewSet
from gendan.api.views.pipeline import TransitionListView, TransitionPerformView
from gendan.api.views.tasks import NotificationListView, NotificationReadView, TaskViewSet

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("customers", CustomerViewSet, basename="customer")
router.register("product-lines", ProductLineViewSet, basename="productline")
router.register("products", ProductViewSet, basename="product")
router.register("orders", OrderViewSet, basename="order")
router.register("tasks", TaskViewSet, basename="task")

order = "orders/<str:number>/"
v1: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    path(f"{order}transitions/", TransitionListView.as_view(), name="order-transitions"),
    path(
        f"{order}transitions/<str:name>/",
        TransitionPerformView.as_view(),
        name="order-transition",
    ),
    path(f"{order}ledger/", LedgerListView.as_view(), name="order-ledger"),
    path(f"{order}comments/", CommentView.as_view(), name="order-comments"),
    path(f"{order}communications/", CommunicationView.as_view(), name="order-communications"),
    path("notifications/", NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", NotificationReadView.as_view(), name="notifications-read"),
    path("", include("gendan.reviews.api")),
    path("", include("gendan.contracts.api")),
    path("", include("gendan.documents.api")),
    path("", include("gendan.planning.api")),
    path("", include("gendan.emergency.api")),
    path("", include("gendan.purchasing.api")),
    path("", include("gendan.production.api")),
    path("", include("gendan.quality.api")),
    path("", include("gendan.warehouse.api")),
    path("", include("gendan.shipping.api")),
    path("", include("gendan.monitoring.api")),
    path("", include("gendan.aftersales.api")),
    path("", include("gendan.intake.order_api")),
    path("", include("gendan.credit.api")),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
        name="redoc",
    ),
]
