from django.urls import path

from gendan.contracts import views

app_name = "contracts"
order = "order/<str:number>/"
urlpatterns = [
    path(order, views.contract_page, name="contract"),
    path(f"{order}draft/", views.draft, name="draft"),
    path(f"{order}revise/", views.revise, name="revise"),
    path(f"{order}submit/", views.submit, name="submit"),
    path(f"{order}comment/", views.comment, name="comment"),
    path(f"{order}decide/", views.decide, name="decide"),
    path(f"{order}signed/", views.upload, name="upload"),
    path(f"{order}print.pdf", views.contract_pdf, name="contract_pdf"),
    path(f"{order}confirmation/", views.confirm, name="confirm"),
    path(f"{order}allocation/", views.allocation_page, name="allocation"),
    path(f"{order}allocation/propose/", views.propose, name="propose"),
    path(f"{order}allocation/lines/", views.edit_lines, name="allocation_lines"),
    path(f"{order}allocation/meeting/", views.coordination, name="coordination"),
    path(f"{order}allocation/release/", views.release, name="release"),
    path(f"{order}allocation/print.pdf", views.allocation_pdf, name="allocation_pdf"),
]
