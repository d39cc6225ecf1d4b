"""REST endpoints of the contract (C1), order confirmation (C2) and allocation (E1)."""

from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.accounts.models import Department, User
from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.common import UserRefSerializer
from gendan.api.views.orders import ERRORS, visible_order
from gendan.contracts import actions
from gendan.contracts.models import (
    Allocation,
    AllocationKind,
    ClauseCode,
    Contract,
    ContractTemplate,
    OrderConfirmation,
)
from gendan.orders.models import Order


class VersionSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    title = serializers.CharField()
    clauses = serializers.JSONField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class CommentSerializer(serializers.Serializer[Any]):
    author = UserRefSerializer()
    version = serializers.IntegerField(source="version.number")
    clause = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class ContractSerializer(serializers.ModelSerializer[Contract]):
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    versions = VersionSerializer(many=True, read_only=True)
    comments = CommentSerializer(many=True, read_only=True)
    approved_version = serializers.IntegerField(
        source="approved_version.number", allow_null=True, read_only=True
    )
    signed_document = serializers.IntegerField(
        source="signed_document_id", allow_null=True, read_only=True
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "order",
            "state",
            "version",
            "approved_version",
            "signed_document",
            "signed_at",
            "versions",
            "comments",
        ]
        read_only_fields = fields


class DraftSerializer(serializers.Serializer[Any]):
    template = serializers.PrimaryKeyRelatedField(
        queryset=ContractTemplate.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
    )


class ReviseSerializer(serializers.Serializer[Any]):
    clauses = serializers.DictField(child=serializers.CharField(allow_blank=True))
    note = serializers.CharField(max_length=300)
    version = serializers.IntegerField(required=False, min_value=1)


class LegalCommentSerializer(serializers.Serializer[Any]):
    text = serializers.CharField()
    clause = serializers.ChoiceField(
        choices=[("", ""), *ClauseCode.choices], required=False, default=""
    )


class LegalDecisionSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class SignedCopySerializer(serializers.Serializer[Any]):
    file = serializers.FileField()


def _contract(request: Request, number: str) -> Contract:
    order = visible_order(request, number)
    contract = Contract.objects.filter(order=order).first()
    if contract is None:
        raise Http404
    return contract


def _answer(contract: Contract, code: int = status.HTTP_200_OK) -> Response:
    fresh = Contract.objects.prefetch_related(
        "versions", "comments__author", "comments__version"
    ).get(pk=contract.pk)
    return Response(ContractSerializer(fresh).data, status=code)


class ContractView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["contracts"],
        summary="The order's contract with versions and legal comments",
        responses={200: ContractSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        return _answer(_contract(request, number))

    @extend_schema(
        tags=["contracts"],
        summary="Draft the contract from a template (sales)",
        request=DraftSerializer,
        responses={201: ContractSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = DraftSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        contract = actions.draft_contract(
            order=order, user=acting_user(request), template=form.validated_data["template"]
        )
        return _answer(contract, status.HTTP_201_CREATED)


class ReviseView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["contracts"],
        summary="Save edited clauses as a new version",
        request=ReviseSerializer,
        responses={200: ContractSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        contract = _contract(request, number)
        form = ReviseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        actions.revise_contract(
            contract=contract,
            user=acting_user(request),
            clauses=data["clauses"],
            note=data["note"],
            expected_version=data.get("version"),
        )
        return _answer(contract)


class SubmitView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["contracts"],
        summary="Send the contract to legal review",
        request=None,
        responses={200: ContractSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        contract = _contract(request, number)
        actions.submit_for_legal_review(contract=contract, user=acting_user(request))
        return _answer(contract)


class LegalCommentView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["contracts"],
        summary="Comment on the contract under review (legal)",
        request=LegalCommentSerializer,
        responses={201: ContractSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        contract = _contract(request, number)
        form = LegalCommentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.comment_on_contract(
            contract=contract, user=acting_user(request), **form.validated_data
        )
        return _answer(contract, status.HTTP_201_CREATED)


class LegalDecisionView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["contracts"],
        summary="Approve the contract or request changes (legal)",
        request=LegalDecisionSerializer,
        responses={200: ContractSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        contract = _contract(request, number)
        form = LegalDecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.decide_legal_review(
            contract=contract, user=acting_user(request), **form.validated_data
        )
        return _answer(contract)


class SignedCopyView(APIView):
    permission_classes = STAFF
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["contracts"],
        summary="Upload the contract signed by both parties",
        request={"multipart/form-data": SignedCopySerializer},
        responses={200: ContractSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        contract = _contract(request, number)
        form = SignedCopySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.upload_signed_contract(
            contract=contract, user=acting_user(request), file=form.validated_data["file"]
        )
        return _answer(contract)


class ConfirmationSerializer(serializers.ModelSerializer[OrderConfirmation]):
    document = serializers.IntegerField(source="document_id", read_only=True)
    issued_by = UserRefSerializer(read_only=True)

    class Meta:
        model = OrderConfirmation
        fields = [
            "id",
            "number",
            "document",
            "language",
            "emailed_to",
            "emailed_at",
            "issued_by",
            "issued_at",
        ]
        read_only_fields = fields


class IssueConfirmationSerializer(serializers.Serializer[Any]):
    language = serializers.ChoiceField(
        choices=["zh-hans", "en"], required=False, allow_null=True, default=None
    )
    send_email = serializers.BooleanField(required=False, default=True)


class ConfirmationsView(APIView):
    permission_classes = STAFF
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        tags=["contracts"],
        summary="The order's confirmations",
        responses={200: ConfirmationSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        return Response(
            ConfirmationSerializer(order.confirmations.select_related("issued_by"), many=True).data
        )

    @extend_schema(
        tags=["contracts"],
        summary="Issue the order confirmation (PDF, e-mail where configured)",
        request=IssueConfirmationSerializer,
        responses={201: ConfirmationSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = IssueConfirmationSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        confirmation = actions.issue_confirmation(
            order=order, user=acting_user(request), **form.validated_data
        )
        return Response(ConfirmationSerializer(confirmation).data, status=status.HTTP_201_CREATED)


# --- allocation ----------------------------------------------------------------------------


class AllocationLineSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=AllocationKind.choices)
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.filter(is_active=True)
    )  # type: ignore[var-annotated]
    scope = serializers.CharField()
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False, default=None
    )
    due_date = serializers.DateField()
    task = serializers.IntegerField(source="task_id", read_only=True, allow_null=True)


class AllocationSerializer(serializers.ModelSerializer[Allocation]):
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    lines = AllocationLineSerializer(many=True, read_only=True)
    meeting_attendees = UserRefSerializer(many=True, read_only=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "order",
            "state",
            "version",
            "lines",
            "meeting_held_at",
            "meeting_place",
            "meeting_attendees",
            "meeting_notes",
            "released_at",
        ]
        read_only_fields = fields


class AllocationEditSerializer(serializers.Serializer[Any]):
    lines = AllocationLineSerializer(many=True, allow_empty=False)
    version = serializers.IntegerField(required=False, min_value=1)


class CoordinationSerializer(serializers.Serializer[Any]):
    held_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    attendees = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, allow_empty=False
    )
    notes = serializers.CharField()


def _allocation(request: Request, number: str) -> tuple[Order, Allocation]:
    order = visible_order(request, number)
    allocation = Allocation.objects.filter(order=order).first()
    if allocation is None:
        raise Http404
    return order, allocation


def _allocation_answer(allocation: Allocation, code: int = status.HTTP_200_OK) -> Response:
    fresh = Allocation.objects.prefetch_related("lines__department", "meeting_attendees").get(
        pk=allocation.pk
    )
    return Response(AllocationSerializer(fresh).data, status=code)


class AllocationView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["allocation"],
        summary="The order's allocation sheet",
        responses={200: AllocationSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        return _allocation_answer(_allocation(request, number)[1])

    @extend_schema(
        tags=["allocation"],
        summary="Propose the allocation from the order",
        request=None,
        responses={201: AllocationSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        allocation = actions.propose_allocation(order=order, user=acting_user(request))
        return _allocation_answer(allocation, status.HTTP_201_CREATED)

    @extend_schema(
        tags=["allocation"],
        summary="Replace the allocation's lines",
        request=AllocationEditSerializer,
        responses={200: AllocationSerializer, **ERRORS},
    )
    def put(self, request: Request, number: str) -> Response:
        _order, allocation = _allocation(request, number)
        form = AllocationEditSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.update_allocation(
            allocation=allocation,
            user=acting_user(request),
            lines=form.validated_data["lines"],
            expected_version=form.validated_data.get("version"),
        )
        return _allocation_answer(allocation)


class CoordinationView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["allocation"],
        summary="Record the coordination meeting",
        request=CoordinationSerializer,
        responses={200: AllocationSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        _order, allocation = _allocation(request, number)
        form = CoordinationSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.record_coordination_meeting(
            allocation=allocation, user=acting_user(request), **form.validated_data
        )
        return _allocation_answer(allocation)


class ReleaseView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["allocation"],
        summary="Release the allocation: one task per line",
        request=None,
        responses={200: AllocationSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        _order, allocation = _allocation(request, number)
        actions.release_allocation(allocation=allocation, user=acting_user(request))
        return _allocation_answer(allocation)


#: Included by gendan/api/urls.py under /api/v1/.
urlpatterns = [
    path("orders/<str:number>/contract/", ContractView.as_view(), name="order-contract"),
    path(
        "orders/<str:number>/contract/revise/", ReviseView.as_view(), name="order-contract-revise"
    ),
    path(
        "orders/<str:number>/contract/submit/", SubmitView.as_view(), name="order-contract-submit"
    ),
    path(
        "orders/<str:number>/contract/comments/",
        LegalCommentView.as_view(),
        name="order-contract-comments",
    ),
    path(
        "orders/<str:number>/contract/decision/",
        LegalDecisionView.as_view(),
        name="order-contract-decision",
    ),
    path(
        "orders/<str:number>/contract/signed-copy/",
        SignedCopyView.as_view(),
        name="order-contract-signed",
    ),
    path(
        "orders/<str:number>/confirmations/",
        ConfirmationsView.as_view(),
        name="order-confirmations",
    ),
    path("orders/<str:number>/allocation/", AllocationView.as_view(), name="order-allocation"),
    path(
        "orders/<str:number>/allocation/meeting/",
        CoordinationView.as_view(),
        name="order-allocation-meeting",
    ),
    path(
        "orders/<str:number>/allocation/release/",
        ReleaseView.as_view(),
        name="order-allocation-release",
    ),
]
