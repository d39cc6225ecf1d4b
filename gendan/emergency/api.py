"""REST endpoints of emergency orders, under /api/v1/.

- `GET  emergencies/` and `emergencies/<number>/`            cases the caller may see;
- `POST orders/<number>/emergency/`                          identify (紧急订单识别表);
- `POST emergencies/<number>/confirm/`                       confirmed with the customer;
- `POST emergencies/<number>/options/`                       compute production's options again;
- `POST emergencies/<number>/options/<id>/choose/`           a planner picks one;
- `POST emergencies/<number>/problems/`                      record a problem.

Every write calls the same action as the pages (same rules, same field-level errors).
"""

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.permissions import STAFF, acting_user
from gendan.api.views.orders import ERRORS, visible_order
from gendan.core.access import get_visible_or_404
from gendan.emergency import actions
from gendan.emergency.models import Basis, EmergencyCase, EmergencyOption


class OptionSerializer(serializers.ModelSerializer[EmergencyOption]):
    class Meta:
        model = EmergencyOption
        fields = [
            "id",
            "kind",
            "summary",
            "promise_date",
            "meets_required",
            "cost",
            "cost_detail",
            "slips",
            "capacity",
            "outsourcing",
            "proven",
            "computed_at",
        ]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer[EmergencyCase]):
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    options = OptionSerializer(many=True, read_only=True)
    chosen_option = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = EmergencyCase
        fields = [
            "number",
            "order",
            "basis",
            "reason",
            "required_date",
            "normal_cycle_days",
            "lead_days",
            "status",
            "identified_at",
            "confirmation_due_at",
            "confirmed_at",
            "confirmed_date",
            "sheet_sent_at",
            "answer_due_at",
            "options_state",
            "options_computed_at",
            "options_note",
            "options",
            "chosen_option",
            "decided_at",
            "closed_at",
            "outcome",
        ]
        read_only_fields = fields


class IdentifySerializer(serializers.Serializer[Any]):
    basis = serializers.ChoiceField(choices=Basis.choices)
    reason = serializers.CharField(max_length=2000)
    required_date = serializers.DateField(required=False, allow_null=True, default=None)


class ConfirmSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000)
    confirmed_date = serializers.DateField(required=False, allow_null=True, default=None)


class NoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ProblemSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=2000)


def _case(request: Request, number: str) -> EmergencyCase:
    queryset = EmergencyCase.objects.select_related("order").prefetch_related("options")
    case: EmergencyCase = get_visible_or_404(queryset, acting_user(request), number=number)
    return case


def _answer(request: Request, number: str, code: int = status.HTTP_200_OK) -> Response:
    return Response(CaseSerializer(_case(request, number)).data, status=code)


class CaseListView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["emergency"],
        summary="Emergency orders the caller may see (open ones unless ?all=1)",
        responses={200: CaseSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        cases = EmergencyCase.objects.for_user(acting_user(request)).select_related("order")
        if request.query_params.get("all") != "1":
            cases = cases.open()
        cases = cases.prefetch_related("options").order_by("required_date", "id")[:200]
        return Response(CaseSerializer(cases, many=True).data)


class CaseView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["emergency"],
        summary="One emergency order with production's options",
        responses={200: CaseSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        return _answer(request, number)


class IdentifyView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["emergency"],
        summary="Identify the order as an emergency (紧急订单识别表)",
        request=IdentifySerializer,
        responses={201: CaseSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = IdentifySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = acting_user(request)
        case = actions.identify_emergency(order=order, user=user, **form.validated_data)
        return _answer(request, case.number, status.HTTP_201_CREATED)


class ConfirmView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["emergency"],
        summary="Confirmed with the customer: the processing sheet goes out",
        request=ConfirmSerializer,
        responses={200: CaseSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        case = _case(request, number)
        form = ConfirmSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.confirm_with_customer(case=case, user=acting_user(request), **form.validated_data)
        return _answer(request, number)


class OptionsView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["emergency"],
        summary="Compute production's options again (the worker answers)",
        request=None,
        responses={202: CaseSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        actions.request_options(case=_case(request, number), user=acting_user(request))
        return _answer(request, number, status.HTTP_202_ACCEPTED)


class ChooseView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["emergency"],
        summary="Choose one of production's options (planners, production head)",
        request=NoteSerializer,
        responses={200: CaseSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str, option_id: int) -> Response:
        case = _case(request, number)
        option = get_object_or_404(EmergencyOption, case=case, pk=option_id)
        form = NoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        note = form.validated_data["note"]
        actions.choose_option(option=option, user=acting_user(request), note=note)
        return _answer(request, number)


class ProblemView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["emergency"],
        summary="Record a problem for the weekly review",
        request=ProblemSerializer,
        responses={201: CaseSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        case = _case(request, number)
        form = ProblemSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        text = form.validated_data["text"]
        actions.record_problem(case=case, user=acting_user(request), text=text)
        return _answer(request, number, status.HTTP_201_CREATED)


urlpatterns = [
    path("emergencies/", CaseListView.as_view(), name="emergencies"),
    path("emergencies/<str:number>/", CaseView.as_view(), name="emergency"),
    path("emergencies/<str:number>/confirm/", ConfirmView.as_view(), name="emergency-confirm"),
    path("emergencies/<str:number>/options/", OptionsView.as_view(), name="emergency-options"),
    path(
        "emergencies/<str:number>/options/<int:option_id>/choose/",
        ChooseView.as_view(),
        name="emergency-choose",
    ),
    path("emergencies/<str:number>/problems/", ProblemView.as_view(), name="emergency-problems"),
    path("orders/<str:number>/emergency/", IdentifyView.as_view(), name="order-emergency"),
]
