"""REST endpoints of an order's documents (K2)."""

from typing import Any

from django.http import FileResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gendan.api.permissions import STAFF, acting_user
from gendan.api.serializers.common import UserRefSerializer
from gendan.api.views.orders import ERRORS, visible_order
from gendan.core.access import get_visible_or_404
from gendan.documents.actions import upload_document
from gendan.documents.models import Category, Document


class DocumentSerializer(serializers.ModelSerializer[Document]):
    uploaded_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "category",
            "title",
            "filename",
            "content_type",
            "size",
            "sha256",
            "source",
            "retain_until",
            "uploaded_by",
            "created_at",
        ]
        read_only_fields = fields


class UploadSerializer(serializers.Serializer[Any]):
    category = serializers.ChoiceField(choices=Category.choices)
    title = serializers.CharField(max_length=200)
    file = serializers.FileField()


class OrderDocumentsView(APIView):
    permission_classes = STAFF
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["documents"],
        summary="The order's documents",
        responses={200: DocumentSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        return Response(
            DocumentSerializer(order.documents.select_related("uploaded_by"), many=True).data
        )

    @extend_schema(
        tags=["documents"],
        summary="File a document with the order",
        request={"multipart/form-data": UploadSerializer},
        responses={201: DocumentSerializer, **ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        order = visible_order(request, number)
        form = UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        document = upload_document(order=order, user=acting_user(request), **form.validated_data)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDownloadView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=["documents"],
        summary="Download a document",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            404: ERRORS[404],
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        document = get_visible_or_404(Document.objects, request.user, pk=pk)
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.filename,
            content_type=document.content_type,
        )


#: Included by gendan/api/urls.py under /api/v1/.
urlpatterns = [
    path("orders/<str:number>/documents/", OrderDocumentsView.as_view(), name="order-documents"),
    path("documents/<int:pk>/download/", DocumentDownloadView.as_view(), name="document-download"),
]
