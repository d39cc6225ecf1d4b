"""Signing in for scripts (per-user API tokens) and who am I."""

from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from gendan.api.errors import LockedOut
from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.accounts import MeSerializer, TokenRequestSerializer, TokenSerializer
from gendan.api.serializers.common import ErrorSerializer


class TokenView(APIView):
    """Exchange username and password for the user's API token.

    Failed attempts count towards the same lockout as the sign-in page (django-axes): after
    too many, the username is locked out from that address for the cool-off time (429). The
    endpoint is also rate-limited per address.
    """

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        tags=["auth"],
        auth=[],
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Wrong username or password."),
            429: OpenApiResponse(ErrorSerializer, description="Locked out or rate-limited."),
        },
    )
    def post(self, request: Request) -> Response:
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            request=django_request,
            username=form.validated_data["username"],
            password=form.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # Answer here, in JSON; left set, the axes middleware would send an HTML page.
            django_request.axes_locked_out = False  # type: ignore[attr-defined]
            raise _locked_out(django_request)
        if user is None:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Wrong username or password.")]}
            )
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "user": MeSerializer(user).data})


def _locked_out(django_request: Any) -> LockedOut:
    cool_off = get_cool_off(django_request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    message = (
        _(
            "Too many failed sign-ins: this account is locked from your address for "
            "%(minutes)d minutes. Wait, or ask an administrator to unlock it."
        )
        % {"minutes": minutes}
        if minutes
        else _("Too many failed sign-ins: ask an administrator to unlock this account.")
    )
    error = LockedOut(message)
    error.wait = cool_off.total_seconds() if cool_off else None
    return error


class MeView(APIView):
    """The signed-in user: role, departments and what they may do."""

    permission_classes = STAFF

    @extend_schema(tags=["auth"], responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(acting_user(request)).data)
