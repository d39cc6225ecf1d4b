"""REST endpoints of monitoring (E9, M3), under /api/v1/: rectification notices (list, read,
resolve), running the checks, and the supervision summary. Reads go through the one access
door; changes through the same actions as the pages."""

from typing import Any

from django.db.models import QuerySet
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from gendan.api.filters import StableOrderingFilter
from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.common import UserRefSerializer
from gendan.api.views.orders import ERRORS
from gendan.core.access import get_visible_or_404
from gendan.monitoring import actions, permissions
from gendan.monitoring.models import RectificationNotice
from gendan.monitoring.selectors import supervision

TAGS = ["monitoring"]


class NoticeSerializer(serializers.ModelSerializer[RectificationNotice]):
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    owner = UserRefSerializer(read_only=True, allow_null=True)
    resolved_by = UserRefSerializer(read_only=True, allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = RectificationNotice
        fields = [
            "id",
            "number",
            "kind",
            "order",
            "subject",
            "subject_label",
            "summary",
            "facts",
            "department",
            "owner",
            "due_at",
            "overdue",
            "status",
            "opened_at",
            "task",
            "condition_cleared_at",
            "resolution",
            "resolved_by",
            "resolved_at",
        ]
        read_only_fields = fields


class NoticeResolveSerializer(serializers.Serializer[Any]):
    resolution = serializers.CharField(max_length=4000, help_text="The cause and what was done.")


class NoticeFilter(filters.FilterSet):
    order = filters.CharFilter(field_name="order__number")

    class Meta:
        model = RectificationNotice
        fields = ["kind", "status", "order"]


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="List rectification notices you can see"),
    retrieve=extend_schema(tags=TAGS, summary="Read a rectification notice"),
)
class NoticeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[RectificationNotice]
):
    serializer_class = NoticeSerializer
    permission_classes = STAFF
    filter_backends = [filters.DjangoFilterBackend, StableOrderingFilter]
    filterset_class = NoticeFilter
    ordering_fields = ["due_at", "opened_at"]
    ordering = ["-opened_at"]

    def _notices(self) -> QuerySet[RectificationNotice]:
        return RectificationNotice.objects.select_related(
            "order", "department", "owner", "resolved_by"
        )

    def get_queryset(self) -> QuerySet[RectificationNotice]:
        return self._notices().for_user(acting_user(self.request))  # type: ignore[attr-defined, no-any-return]

    def get_object(self) -> RectificationNotice:
        pk = str(self.kwargs["pk"])
        if not pk.isdigit():
            raise NotFound()
        return get_visible_or_404(self._notices(), acting_user(self.request), pk=int(pk))  # type: ignore[no-any-return]

    @extend_schema(
        tags=TAGS,
        summary="Record the rectification and close the notice",
        request=NoticeResolveSerializer,
        responses={200: NoticeSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        form = NoticeResolveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        notice = actions.resolve_notice(
            notice=self.get_object(),
            user=acting_user(request),
            resolution=form.validated_data["resolution"],
        )
        return Response(NoticeSerializer(notice).data)


class RunReportSerializer(serializers.Serializer[Any]):
    found = serializers.DictField(child=serializers.IntegerField())
    opened = serializers.DictField(child=serializers.IntegerField())
    cleared = serializers.IntegerField()
    returned = serializers.IntegerField()
    closed_by_task = serializers.IntegerField()
    failed = serializers.ListField(child=serializers.CharField())


class RunChecksView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=TAGS,
        summary="Run the monitoring checks now (management)",
        request=None,
        responses={200: RunReportSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        if not permissions.can_run_checks(acting_user(request)):
            raise PermissionDenied(_("Only management may run the checks by hand."))
        report = actions.run_checks()
        return Response(RunReportSerializer(report).data)


class SectionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    count = serializers.IntegerField(help_text="Counted up to 1001; see `capped`.")
    capped = serializers.BooleanField()


class SupervisionSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    overdue = SectionSerializer(many=True)
    missing = SectionSerializer(many=True)
    notices = SectionSerializer()
    overdue_notices = SectionSerializer()


class SupervisionView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=TAGS,
        summary="Supervision summary: overdue steps, missing records, open notices (counts)",
        responses={200: SupervisionSerializer, 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        if not permissions.can_supervise(user):
            raise PermissionDenied(
                _("The supervision view is for management and department heads.")
            )
        view = supervision(user)
        data = {
            "at": timezone.now(),
            "overdue": view.overdue,
            "missing": view.missing,
            "notices": view.notices,
            "overdue_notices": view.overdue_notices,
        }
        return Response(SupervisionSerializer(data).data)


router = SimpleRouter()
router.register("rectification-notices", NoticeViewSet, basename="rectificationnotice")

urlpatterns = [
    path("monitoring/run/", RunChecksView.as_view(), name="monitoring-run"),
    path("supervision/", SupervisionView.as_view(), name="supervision"),
    path("", include(router.urls)),
]
