from django.urls import path

from gendan.intake import views

app_name = "intake"
order = "orders/<str:number>/"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path(order, views.order_intake, name="order"),
    path(f"{order}type/", views.set_type_view, name="set_type"),
    path(f"{order}written-record/", views.written_record_view, name="written_record"),
    path(f"{order}written-record/file/", views.written_record_file, name="written_record_file"),
    path(f"{order}confirm-margin/", views.confirm_margin_view, name="confirm_margin"),
    path(f"{order}secure-credit/", views.resolve_credit_view, name="resolve_credit"),
    path(f"{order}negotiate/", views.negotiate_view, name="negotiate"),
    path(f"{order}revisions/", views.revisions_view, name="revisions"),
]
