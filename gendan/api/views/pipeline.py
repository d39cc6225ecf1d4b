"""The order's pipeline: the steps open to the caller, and performing one."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.conditional import IF_MATCH, expected_version, stale_answers_412
from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.common import ErrorSerializer
from gendan.api.serializers.orders import OrderSerializer, TransitionSerializer
from gendan.api.serializers.pipeline import TransitionRequestSerializer
from gendan.api.views.orders import ERRORS, order_response, visible_order
from gendan.orders.actions import transition_order
from gendan.orders.pipeline import TRANSITIONS, available_transitions


class TransitionListView(APIView):
    """Exactly the steps `available_transitions` offers the caller, with what blocks each."""

    permission_classes = STAFF

    @extend_schema(
        tags=["pipeline"],
        summary="List the steps you may take on this order now",
        responses={200: TransitionSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        available = available_transitions(order, acting_user(request))
        return Response(TransitionSerializer(available, many=True, context={"order": order}).data)


class TransitionPerformView(APIView):
    """Perform one step of the pipeline (`transition_order`)."""

    permission_classes = STAFF

    @extend_schema(
        tags=["pipeline"],
        summary="Perform a step of the pipeline",
        request=TransitionRequestSerializer,
        parameters=[IF_MATCH],
        responses={
            200: OrderSerializer,
            **ERRORS,
            404: OpenApiResponse(ErrorSerializer, description="No such order or step."),
            412: OpenApiResponse(ErrorSerializer, description="If-Match names an older version."),
        },
    )
    def post(self, request: Request, number: str, name: str) -> Response:
        order = visible_order(request, number)
        if name not in TRANSITIONS:
            raise exceptions.NotFound(
                _("There is no step called “%(name)s”. The steps are: %(names)s.")
                % {"name": name, "names": ", ".join(TRANSITIONS)}
            )
        form = TransitionRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        version, from_header = expected_version(
            request, order, form.validated_data.get("version"), required=False
        )
        with stale_answers_412(order, version, from_header):
            order = transition_order(
                order=order,
                name=name,
                user=acting_user(request),
                reason=form.validated_data["reason"],
                expected_version=version,
            )
        return order_response(request, order)
