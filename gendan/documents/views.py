"""An order's documents (K2): the list by category, upload, and download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import AuthenticatedRequest, apply_action_error, forbid_if_not_permitted
from gendan.documents.actions import upload_document
from gendan.documents.forms import UploadForm
from gendan.documents.models import Document
from gendan.orders.models import Order


@login_required
def order_documents(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = get_visible_or_404(
        Order.objects.select_related("customer"), request.user, number=number
    )
    form = UploadForm()
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                upload_document(order=order, user=request.user, **form.cleaned_data)
            except ActionError as error:
                forbid_if_not_permitted(error)
                apply_action_error(error, form)
            else:
                messages.success(request, _("The document is filed."))
                return redirect("documents:order", number=order.number)
        status = 400
    documents = Document.objects.filter(order=order).select_related("uploaded_by")
    context = {
        "order": order,
        "documents": documents,
        "form": form if not request.user.is_read_only else None,
    }
    return render(request, "documents/order_documents.html", context, status=status)


@login_required
def download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    document = get_visible_or_404(Document.objects.select_related("order"), request.user, pk=pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=not document.is_pdf,
        filename=document.filename,
        content_type=document.content_type,
    )
