"""K2: documents kept per order with category, checksum and retention; checked uploads;
visible only with the order; never deleted."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gendan.core.errors import Blocked, NotPermitted
from gendan.documents.actions import store_document, upload_document
from gendan.documents.models import Category, Document, DocumentIsKept, RetentionPolicy

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% delivery note\n"


def test_upload_is_kept_with_checksum_and_retention(in_review, staff) -> None:
    RetentionPolicy.objects.filter(category=Category.DELIVERY_LIST).update(years=7)
    document = upload_document(
        order=in_review,
        user=staff["clerk"],
        category=Category.DELIVERY_LIST,
        title="Signed delivery note",
        file=SimpleUploadedFile("note.pdf", PDF, "application/pdf"),
    )
    assert document.sha256 == hashlib.sha256(PDF).hexdigest() and document.size == len(PDF)
    today = timezone.localdate()
    assert document.retain_until == today.replace(year=today.year + 7)
    assert in_review.ledger.filter(
        data__event="document.filed", data__document=document.pk
    ).exists()
    assert document.file.read() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [("run.exe", b"MZ"), ("fake.pdf", b"<html>"), ("empty.pdf", b""), ("doc.png", b"%PDF-1.4")],
)
def test_uploads_of_wrong_type_or_content_are_refused(in_review, staff, name, content) -> None:
    with pytest.raises(Blocked) as refused:
        upload_document(
            order=in_review,
            user=staff["clerk"],
            category=Category.OTHER,
            title="x",
            file=SimpleUploadedFile(name, content),
        )
    assert "file" in refused.value.fields
    assert not Document.objects.exists()


def test_auditor_and_outsider_cannot_file(in_review, staff) -> None:
    for name in ["auditor", "outsider"]:
        with pytest.raises(NotPermitted):
            upload_document(
                order=in_review,
                user=staff[name],
                category=Category.OTHER,
                title="x",
                file=SimpleUploadedFile("a.pdf", PDF),
            )


def test_documents_are_seen_with_their_order_and_never_deleted(in_review, staff) -> None:
    document = store_document(
        order=in_review,
        user=staff["clerk"],
        category=Category.FORM,
        title="Form",
        content=PDF,
        filename="form.pdf",
    )
    assert Document.objects.for_user(staff["technical_reviewer"]).filter(pk=document.pk).exists()
    assert Document.objects.for_user(staff["auditor"]).filter(pk=document.pk).exists()
    assert not Document.objects.for_user(staff["outsider"]).exists()
    with pytest.raises(DocumentIsKept):
        document.delete()
    with pytest.raises(DocumentIsKept):
        Document.objects.all().delete()


def test_download_answers_404_to_those_who_do_not_see_the_order(
    in_review, staff, client_for
) -> None:
    document = store_document(
        order=in_review,
        user=staff["clerk"],
        category=Category.FORM,
        title="Form",
        content=PDF,
        filename="form.pdf",
        content_type="application/pdf",
    )
    assert client_for("outsider").get(document.get_absolute_url()).status_code == 404
    response = client_for("technical_reviewer").get(document.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_backup_copies_documents_and_reports_damaged_files(in_review, staff, tmp_path) -> None:
    import json

    from django.core.management import CommandError, call_command

    kept = store_document(
        order=in_review,
        user=staff["clerk"],
        category=Category.FORM,
        title="Form",
        content=PDF,
        filename="form.pdf",
    )
    call_command("backup_documents", str(tmp_path))
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert [row["sha256"] for row in manifest] == [kept.sha256]
    assert (tmp_path / kept.file.name).read_bytes() == PDF
    with open(kept.file.path, "wb") as handle:
        handle.write(b"%PDF-1.4 tampered")
    with pytest.raises(CommandError):
        call_command("backup_documents", str(tmp_path))
