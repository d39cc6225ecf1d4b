"""REST endpoints of the department review (R1-R4), under /api/v1/.

Reads go through the one access door (`for_user` / 404); every write calls the same action
the pages call, so the rules and the field-level errors are the same everywhere.
"""

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.accounts.models import Department, User
from gendan.accounts.reauth import throttle_password_check
from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.common import DepartmentRefSerializer, UserRefSerializer
from gendan.api.views.orders import ERRORS, visible_order
from gendan.core.access import get_visible_or_404
from gendan.ledger.models import CommunicationChannel
from gendan.reviews import actions, selectors
from gendan.reviews.checklists import checklist_for
from gendan.reviews.models import Conclusion, Decision, DepartmentReview, ReviewMeeting


class ReviewSerializer(serializers.ModelSerializer[DepartmentReview]):
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    department = DepartmentRefSerializer(read_only=True)
    filed_by = UserRefSerializer(read_only=True, allow_null=True)
    due_at = serializers.DateTimeField(source="task.due_at", read_only=True, allow_null=True)
    assignee = UserRefSerializer(source="task.assignee", read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)
    checklist_items = serializers.SerializerMethodField()
    margin_pct = serializers.DecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True
    )

    class Meta:
        model = DepartmentReview
        fields = [
            "id",
            "order",
            "department",
            "round",
            "state",
            "conclusion",
            "checklist",
            "outputs",
            "figures",
            "conditions",
            "reasons",
            "proposals",
            "filed_by",
            "filed_at",
            "version",
            "due_at",
            "assignee",
            "is_overdue",
            "checklist_items",
            "margin_pct",
        ]
        read_only_fields = fields

    def get_checklist_items(self, review: DepartmentReview) -> dict[str, Any]:
        """What the department must answer: item, output and figure codes with their labels."""
        definition = checklist_for(review.department.code)
        return {
            "items": [{"code": i.code, "label": str(i.label)} for i in definition.items],
            "outputs": [{"code": o.code, "label": str(o.label)} for o in definition.outputs],
            "figures": [{"code": f.code, "label": str(f.label)} for f in definition.figures],
        }


class AnswerSerializer(serializers.Serializer[Any]):
    answer = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True, required=False, default="")


class FileReportSerializer(serializers.Serializer[Any]):
    conclusion = serializers.ChoiceField(choices=Conclusion.choices)
    checklist = serializers.DictField(child=AnswerSerializer())
    outputs = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict
    )
    figures = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict
    )
    conditions = serializers.CharField(allow_blank=True, required=False, default="")
    reasons = serializers.CharField(allow_blank=True, required=False, default="")
    proposals = serializers.CharField(allow_blank=True, required=False, default="")
    version = serializers.IntegerField(required=False, min_value=1)


class ReassignSerializer(serializers.Serializer[Any]):
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


def _review(request: Request, pk: int) -> DepartmentReview:
    queryset = DepartmentReview.objects.select_related(
        "order", "department", "task", "task__assignee", "filed_by"
    )
    return get_visible_or_404(queryset, request.user, pk=pk)


class OrderReviewsView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["reviews"],
        summary="The order's department reviews (latest round)",
        responses={200: ReviewSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        return Response(ReviewSerializer(selectors.current_reviews(order), many=True).data)


class ReviewView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["reviews"],
        summary="One department review and its report",
        responses={200: ReviewSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ReviewSerializer(_review(request, pk)).data)


class FileReportView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["reviews"],
        summary="File or amend the department's report",
        request=FileReportSerializer,
        responses={200: ReviewSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        review = _review(request, pk)
        form = FileReportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        version = data.pop("version", None)
        review = actions.file_report(
            review=review, user=acting_user(request), expected_version=version, **data
        )
        return Response(ReviewSerializer(review).data)


class ReassignView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["reviews"],
        summary="Reassign the review within the department (head)",
        request=ReassignSerializer,
        responses={200: ReviewSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        review = _review(request, pk)
        form = ReassignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        review = actions.reassign_review(
            review=review, user=acting_user(request), assignee=form.validated_data["assignee"]
        )
        return Response(ReviewSerializer(_review(request, review.pk)).data)


# --- meetings ------------------------------------------------------------------------------


class MeetingActionSerializer(serializers.Serializer[Any]):
    description = serializers.CharField(max_length=300)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False, default=None
    )
    department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.filter(is_active=True),
        allow_null=True,
        required=False,
        default=None,
    )  # type: ignore[var-annotated]
    due_date = serializers.DateField()


class SignatureSerializer(serializers.Serializer[Any]):
    signer = UserRefSerializer()
    signed_at = serializers.DateTimeField()
    content_hash = serializers.CharField()
    voided_at = serializers.DateTimeField(allow_null=True)
    void_reason = serializers.CharField()
    valid = serializers.SerializerMethodField()

    def get_valid(self, signature: Any) -> bool:
        return (
            signature.voided_at is None and signature.content_hash == signature.meeting.content_hash
        )


class MeetingSerializer(serializers.ModelSerializer[ReviewMeeting]):
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)  # type: ignore[var-annotated]
    organiser = UserRefSerializer(read_only=True)
    attendees = UserRefSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()
    signatures = SignatureSerializer(many=True, read_only=True)
    unsigned = serializers.SerializerMethodField()

    class Meta:
        model = ReviewMeeting
        fields = [
            "id",
            "order",
            "round",
            "organiser",
            "held_at",
            "place",
            "attendees",
            "agenda",
            "discussion",
            "decision",
            "decision_notes",
            "fail_resolution",
            "content_hash",
            "version",
            "actions",
            "signatures",
            "unsigned",
        ]
        read_only_fields = fields

    def get_actions(self, meeting: ReviewMeeting) -> list[dict[str, Any]]:
        return [
            {
                "description": a.description,
                "owner": a.owner_id,
                "department": a.department.code if a.department else None,
                "due_date": a.due_date,
            }
            for a in meeting.actions.select_related("department")
        ]

    def get_unsigned(self, meeting: ReviewMeeting) -> list[str]:
        return [u.username for u in meeting.unsigned_attendees()]


class ScheduleSerializer(serializers.Serializer[Any]):
    held_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    attendees = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, allow_empty=False
    )


class MinutesSerializer(serializers.Serializer[Any]):
    held_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=200, required=False)
    attendees = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )
    discussion = serializers.CharField(allow_blank=True, required=False)
    decision = serializers.ChoiceField(choices=[("", ""), *Decision.choices], required=False)
    decision_notes = serializers.CharField(allow_blank=True, required=False)
    fail_resolution = serializers.CharField(allow_blank=True, required=False)
    actions = MeetingActionSerializer(many=True, required=False)
    refresh_agenda = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(required=False, min_value=1)


class SignSerializer(serializers.Serializer[Any]):
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class RejectionSerializer(serializers.Serializer[Any]):
    reasons = serializers.CharField()
    counterpart = serializers.CharField(max_length=200)
    channel = serializers.ChoiceField(
        choices=CommunicationChannel.choices, default=CommunicationChannel.EMAIL
    )
    alternative_date = serializers.DateField(required=False, allow_null=True, default=None)
    changed_requirements = serializers.CharField(allow_blank=True, required=False, default="")
    other_alternatives = serializers.CharField(allow_blank=True, required=False, default="")


def _meeting(request: Request, pk: int) -> ReviewMeeting:
    return get_visible_or_404(
        ReviewMeeting.objects.select_related("order", "organiser"), request.user, pk=pk
    )


class OrderMeetingsView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["reviews"],
        summary="The order's review meetings",
        responses={200: MeetingSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        return Response(MeetingSerializer(order.review_meetings.all(), many=True).data)

    @extend_schema(
        tags=["reviews"],
        summary="Schedule the review meeting (sales)",
        request=ScheduleSerializer,
        responses={201: MeetingSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = ScheduleSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        meeting = actions.schedule_meeting(
            order=order, user=acting_user(request), **form.validated_data
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["reviews"],
        summary="A review meeting with its minutes and signatures",
        responses={200: MeetingSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(MeetingSerializer(_meeting(request, pk)).data)

    @extend_schema(
        tags=["reviews"],
        summary="Record or edit the minutes (voids signatures)",
        request=MinutesSerializer,
        responses={200: MeetingSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        meeting = _meeting(request, pk)
        form = MinutesSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        version = data.pop("version", None)
        meeting = actions.update_minutes(
            meeting=meeting, user=acting_user(request), expected_version=version, **data
        )
        return Response(MeetingSerializer(_meeting(request, meeting.pk)).data)


class SignView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["reviews"],
        summary="Sign the minutes (attendees; re-enter your password)",
        request=SignSerializer,
        responses={200: MeetingSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = _meeting(request, pk)
        form = SignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        signer = acting_user(request)
        throttle_password_check(request._request, signer, form.validated_data["password"])
        actions.sign_minutes(meeting=meeting, user=signer, password=form.validated_data["password"])
        return Response(MeetingSerializer(_meeting(request, pk)).data)


class RejectionView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["reviews"],
        summary="Send the rejection and alternatives to the customer and reject",
        request=RejectionSerializer,
        responses={201: None, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = RejectionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        notice = actions.reject_after_review(
            order=order, user=acting_user(request), **form.validated_data
        )
        return Response({"id": notice.pk, "order": order.number}, status=status.HTTP_201_CREATED)


#: Included by gendan/api/urls.py under /api/v1/.
urlpatterns = [
    path("orders/<str:number>/reviews/", OrderReviewsView.as_view(), name="order-reviews"),
    path(
        "orders/<str:number>/review-meetings/",
        OrderMeetingsView.as_view(),
        name="order-review-meetings",
    ),
    path(
        "orders/<str:number>/review-rejection/",
        RejectionView.as_view(),
        name="order-review-rejection",
    ),
    path("reviews/<int:pk>/", ReviewView.as_view(), name="review"),
    path("reviews/<int:pk>/report/", FileReportView.as_view(), name="review-report"),
    path("reviews/<int:pk>/reassign/", ReassignView.as_view(), name="review-reassign"),
    path("review-meetings/<int:pk>/", MeetingView.as_view(), name="review-meeting"),
    path("review-meetings/<int:pk>/sign/", SignView.as_view(), name="review-meeting-sign"),
]
