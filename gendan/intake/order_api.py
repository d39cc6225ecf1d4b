"""REST endpoints of intake (I1–I7), under /api/v1/:

- `GET  orders/<number>/intake/`                  the checks: completeness, written record,
                                                 credit, price and margin, delivery feasibility;
- `POST orders/<number>/intake/type/`             set the order type;
- `POST orders/<number>/intake/written-record/`   attach the written record (text);
- `POST orders/<number>/intake/confirm-margin/`   finance confirms a flagged price;
- `POST orders/<number>/intake/secure-credit/`    finance records a guarantee or prepayment;
- `POST orders/<number>/intake/negotiate/`        send back to the customer (a revision follows);
- `GET  orders/<number>/intake/revisions/`        the order's revisions;
- `POST order-imports/` (multipart `file`)        upload an Excel file: its preview;
- `GET  order-imports/<id>/`                      the preview again;
- `POST order-imports/<id>/import/`               import it (`valid_only` to skip bad orders).

Every write calls the same action as the intake page. Malformed input and an action's
field-level refusal answer 400 with the fields; orders and files the caller may not see 404.
"""

from collections.abc import Callable
from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.permissions import STAFF, acting_user
from gendan.api.views.orders import ERRORS, visible_order
from gendan.core.errors import Blocked
from gendan.credit.actions import record_resolution
from gendan.credit.models import ResolutionKind
from gendan.intake import actions
from gendan.intake.checks import IntakeChecks, intake_checks
from gendan.intake.excel.reader import Preview
from gendan.intake.models import ImportBatch, OrderRevision, OrderType
from gendan.intake.permissions import batches_for
from gendan.ledger.models import CommunicationChannel
from gendan.orders.models import Order


def call[T](action: Callable[[], T]) -> T:
    """Run an action; a refusal that only names fields is bad input (400), not a conflict."""
    try:
        return action()
    except Blocked as error:
        if error.fields and not error.messages:
            raise exceptions.ValidationError(error.fields) from error
        raise


# --- the checks ------------------------------------------------------------------------------


class CreditCheckSerializer(serializers.Serializer[Any]):
    result = serializers.CharField()
    cleared = serializers.BooleanField()
    resolved = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    required_cover = serializers.DecimalField(max_digits=14, decimal_places=2)
    cover_received = serializers.DecimalField(max_digits=14, decimal_places=2)
    exposure = serializers.DecimalField(max_digits=14, decimal_places=2, source="position.exposure")
    limit = serializers.DecimalField(max_digits=14, decimal_places=2, source="position.limit")
    overdue_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, source="position.overdue_amount"
    )


class PriceLineSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    quoted = serializers.DecimalField(max_digits=14, decimal_places=2)
    list_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    discount_pct = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    unit_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    margin_pct = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    problems = serializers.ListField(child=serializers.CharField())


class PriceCheckSerializer(serializers.Serializer[Any]):
    margin_pct = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    flagged = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()
    lines = PriceLineSerializer(many=True)


class FeasibilitySerializer(serializers.Serializer[Any]):
    earliest_date = serializers.DateField(allow_null=True)
    holds = serializers.BooleanField()
    reason = serializers.CharField()


class IntakeChecksSerializer(serializers.Serializer[Any]):
    order = serializers.CharField(source="order.number")
    order_type = serializers.CharField(source="order_type.code", allow_null=True, default=None)
    all_clear = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    written_record_needed = serializers.BooleanField()
    written_record_ok = serializers.BooleanField()
    credit = CreditCheckSerializer()
    prices = PriceCheckSerializer()
    margin_confirmed = serializers.BooleanField()
    feasibility = FeasibilitySerializer()


def checks_response(order: Order, code: int = status.HTTP_200_OK) -> Response:
    order.refresh_from_db()
    checks: IntakeChecks = intake_checks(order)
    return Response(IntakeChecksSerializer(checks).data, status=code)


class IntakeChecksView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["intake"],
        summary="The order's intake checks (completeness, credit, price, delivery)",
        responses={200: IntakeChecksSerializer, **ERRORS},
    )
    def get(self, request: Request, number: str) -> Response:
        return checks_response(visible_order(request, number))


# --- the order's intake actions -------------------------------------------------------------


class OrderTypeSerializer(serializers.Serializer[Any]):
    order_type = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", queryset=OrderType.objects.filter(is_active=True)
    )


class WrittenRecordSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=20000)


class MarginNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000)


class SecureCreditSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ResolutionKind.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)  # type: ignore[arg-type]
    received_on = serializers.DateField()
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class NegotiationSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=4000)
    counterpart = serializers.CharField(max_length=200, required=False, allow_blank=True)
    channel = serializers.ChoiceField(
        choices=CommunicationChannel.choices, required=False, allow_blank=True
    )
    version = serializers.IntegerField(
        required=False, allow_null=True, help_text="The order version the client was looking at."
    )


class OrderIntakeActionView(APIView):
    """One intake action on one order: parse, call the action, answer with the checks."""

    permission_classes = STAFF
    input: type[serializers.Serializer[Any]]

    def act(self, request: Request, order: Order, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = self.input(data=request.data)
        form.is_valid(raise_exception=True)
        call(lambda: self.act(request, order, dict(form.validated_data)))
        return checks_response(order)


def _intake_action(summary: str, input_: type[serializers.Serializer[Any]]) -> Any:
    return extend_schema(
        tags=["intake"],
        summary=summary,
        request=input_,
        responses={200: IntakeChecksSerializer, **ERRORS},
    )


class OrderTypeView(OrderIntakeActionView):
    input = OrderTypeSerializer

    @_intake_action("Set the order type (what the order must state)", OrderTypeSerializer)
    def post(self, request: Request, number: str) -> Response:
        return super().post(request, number)

    def act(self, request: Request, order: Order, data: dict[str, Any]) -> Any:
        user = acting_user(request)
        return actions.set_order_type(order=order, user=user, order_type=data["order_type"])


class WrittenRecordView(OrderIntakeActionView):
    input = WrittenRecordSerializer

    @_intake_action("Attach the written record of a verbal order", WrittenRecordSerializer)
    def post(self, request: Request, number: str) -> Response:
        return super().post(request, number)

    def act(self, request: Request, order: Order, data: dict[str, Any]) -> Any:
        user = acting_user(request)
        return actions.attach_written_record(order=order, user=user, text=data["text"])


class ConfirmMarginView(OrderIntakeActionView):
    input = MarginNoteSerializer

    @_intake_action("Finance confirms a flagged price", MarginNoteSerializer)
    def post(self, request: Request, number: str) -> Response:
        return super().post(request, number)

    def act(self, request: Request, order: Order, data: dict[str, Any]) -> Any:
        return actions.confirm_margin(order=order, user=acting_user(request), note=data["note"])


class SecureCreditView(OrderIntakeActionView):
    input = SecureCreditSerializer

    @_intake_action("Finance records a guarantee or prepayment", SecureCreditSerializer)
    def post(self, request: Request, number: str) -> Response:
        return super().post(request, number)

    def act(self, request: Request, order: Order, data: dict[str, Any]) -> Any:
        return record_resolution(user=acting_user(request), order=order, **data)


class NegotiateView(OrderIntakeActionView):
    input = NegotiationSerializer

    @_intake_action(
        "Send the order back to the customer for negotiation (back to draft)",
        NegotiationSerializer,
    )
    def post(self, request: Request, number: str) -> Response:
        return super().post(request, number)

    def act(self, request: Request, order: Order, data: dict[str, Any]) -> Any:
        return actions.send_back_for_negotiation(
            order=order,
            user=acting_user(request),
            reason=data["reason"],
            counterpart=data.get("counterpart", ""),
            channel=data.get("channel", ""),
            expected_version=data.get("version"),
        )


class RevisionSerializer(serializers.ModelSerializer[OrderRevision]):
    created_by = serializers.StringRelatedField()  # type: ignore[var-annotated]

    class Meta:
        model = OrderRevision
        fields = ["n", "at", "created_by", "snapshot"]
        read_only_fields = fields


class RevisionListView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["intake"],
        summary="The order's revisions (one per submission), newest first",
        responses={200: RevisionSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        rows = OrderRevision.objects.filter(order=order).select_related("created_by")
        return Response(RevisionSerializer(rows.order_by("-n"), many=True).data)


# --- Excel import ----------------------------------------------------------------------------


class ImportRowSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(help_text="Row number in the sheet.")
    importable = serializers.BooleanField()
    errors = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(), source="messages"
    )
    blocked_by = serializers.ListField(child=serializers.IntegerField())


class ImportBatchSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="batch.pk")
    file_name = serializers.CharField(source="batch.original_name")
    state = serializers.CharField(source="batch.state")
    uploaded_at = serializers.DateTimeField(source="batch.uploaded_at")
    result = serializers.JSONField(source="batch.result")
    file_errors = serializers.ListField(child=serializers.CharField(), source="preview.file_errors")
    importable_rows = serializers.IntegerField(source="preview.importable_row_count")
    rows = ImportRowSerializer(many=True, source="preview.rows")


class Previewed:
    def __init__(self, batch: ImportBatch, preview: Preview) -> None:
        self.batch, self.preview = batch, preview


class ImportUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()


class ImportRunSerializer(serializers.Serializer[Any]):
    valid_only = serializers.BooleanField(default=False)


class ImportedSerializer(serializers.Serializer[Any]):
    orders = serializers.ListField(child=serializers.CharField())
    skipped_rows = serializers.ListField(child=serializers.IntegerField())


def _batch(request: Request, pk: int) -> ImportBatch:
    batch = batches_for(acting_user(request)).filter(pk=pk).first()
    if batch is None:
        raise exceptions.NotFound()
    return batch


def _preview_response(batch: ImportBatch, code: int = status.HTTP_200_OK) -> Response:
    preview = actions.preview_batch(batch)
    return Response(ImportBatchSerializer(Previewed(batch, preview)).data, status=code)


class ImportUploadView(APIView):
    permission_classes = STAFF
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["intake"],
        summary="Upload an Excel order file (.xlsx): its preview, every row with its errors",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportBatchSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        form = ImportUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        file = form.validated_data["file"]
        batch = call(lambda: actions.upload_import_file(user=acting_user(request), file=file))
        return _preview_response(batch, status.HTTP_201_CREATED)


class ImportBatchView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["intake"],
        summary="An uploaded order file's preview",
        responses={200: ImportBatchSerializer, **ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _preview_response(_batch(request, pk))


class ImportRunView(APIView):
    permission_classes = STAFF
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        tags=["intake"],
        summary="Import the file's orders (all, or with valid_only those free of errors)",
        request=ImportRunSerializer,
        responses={201: ImportedSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        batch = _batch(request, pk)
        form = ImportRunSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user, valid_only = acting_user(request), form.validated_data["valid_only"]
        call(lambda: actions.import_batch(batch=batch, user=user, valid_only=valid_only))
        batch.refresh_from_db()
        return Response(ImportedSerializer(batch.result).data, status=status.HTTP_201_CREATED)


order = "orders/<str:number>/intake/"
urlpatterns = [
    path(order, IntakeChecksView.as_view(), name="order-intake"),
    path(f"{order}type/", OrderTypeView.as_view(), name="order-intake-type"),
    path(f"{order}written-record/", WrittenRecordView.as_view(), name="order-intake-record"),
    path(f"{order}confirm-margin/", ConfirmMarginView.as_view(), name="order-intake-margin"),
    path(f"{order}secure-credit/", SecureCreditView.as_view(), name="order-intake-credit"),
    path(f"{order}negotiate/", NegotiateView.as_view(), name="order-intake-negotiate"),
    path(f"{order}revisions/", RevisionListView.as_view(), name="order-intake-revisions"),
    path("order-imports/", ImportUploadView.as_view(), name="order-imports"),
    path("order-imports/<int:pk>/", ImportBatchView.as_view(), name="order-import"),
    path("order-imports/<int:pk>/import/", ImportRunView.as_view(), name="order-import-run"),
]
