"""Filing documents with an order (K2): generated forms and uploaded files alike."""

import hashlib
import mimetypes
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import Blocked, NotPermitted
from gendan.documents.models import Category, Document, retain_until_for
from gendan.ledger.models import Kind
from gendan.ledger.record import record
from gendan.orders.models import Order

#: Largest file a user may upload.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: File types accepted from users, with the first bytes each must start with.
UPLOAD_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".ofd": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}


def _checked_upload(file: UploadedFile, field: str) -> bytes:
    """The bytes of an uploaded file, refused unless it is a permitted type and size."""
    name = file.name or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in UPLOAD_SIGNATURES:
        raise Blocked(
            fields={
                field: [
                    _("Upload a PDF, image, OFD, Word or Excel file (%(types)s).")
                    % {"types": ", ".join(sorted(UPLOAD_SIGNATURES))}
                ]
            }
        )
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise Blocked(
            fields={
                field: [_("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES >> 20}]
            }
        )
    content = file.read()
    if not content:
        raise Blocked(fields={field: [_("The file is empty.")]})
    if len(content) > MAX_UPLOAD_BYTES:
        raise Blocked(
            fields={
                field: [_("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES >> 20}]
            }
        )
    if not content.startswith(UPLOAD_SIGNATURES[suffix]):
        raise Blocked(
            fields={
                field: [
                    _("The file's content does not match its %(type)s name.") % {"type": suffix}
                ]
            }
        )
    return content


def store_document(
    *,
    order: Order,
    user: User | None,
    category: Category | str,
    title: str,
    content: bytes,
    filename: str,
    source: str = "",
    content_type: str = "",
) -> Document:
    """Keep `content` with the order under `category`; callers check permissions.

    Runs inside the caller's transaction when there is one, so a document belongs to the step
    that produced it (a signed contract, a sent confirmation) or to nothing at all.
    """
    if category not in Category.values:
        raise Blocked(fields={"category": [_("Choose what kind of document this is.")]})
    mime = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    with transaction.atomic():
        document = Document(
            order=order,
            category=category,
            title=title.strip()[:200] or filename,
            filename=PurePath(filename).name[:200],
            content_type=mime,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            source=source,
            retain_until=retain_until_for(category),
            uploaded_by=user if getattr(user, "pk", None) else None,
        )
        document.file.save(document.filename, ContentFile(content), save=False)
        document.save()
        record(
            order=order,
            kind=Kind.SYSTEM,
            actor=user,
            summary=_("Document filed (%(category)s): %(title)s, kept until %(until)s")
            % {
                "category": document.get_category_display(),
                "title": document.title,
                "until": document.retain_until.isoformat(),
            },
            data={
                "event": "document.filed",
                "document": document.pk,
                "sha256": document.sha256,
                "source": source,
            },
        )
    return document


def upload_document(
    *, order: Order, user: User, category: Category | str, title: str, file: UploadedFile
) -> Document:
    """A user files a document with an order they see (auditors only read)."""
    if user.is_read_only or not Order.objects.for_user(user).filter(pk=order.pk).exists():
        raise NotPermitted(_("Your role may not file documents with this order."))
    if not title.strip():
        raise Blocked(fields={"title": [_("Give the document a title.")]})
    content = _checked_upload(file, "file")
    return store_document(
        order=order,
        user=user,
        category=category,
        title=title,
        content=content,
        filename=file.name or "upload",
    )


def checked_upload(file: UploadedFile, field: str = "file") -> bytes:
    """Validate an upload for another app's action (signed contracts, delivery notes...)."""
    return _checked_upload(file, field)
