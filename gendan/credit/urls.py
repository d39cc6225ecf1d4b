from django.urls import path

from gendan.credit import views

app_name = "credit"
customer = "customers/<str:code>/"
urlpatterns = [
    path(customer, views.customer_credit, name="customer"),
    path(f"{customer}documents/", views.add_document, name="add_document"),
    path(f"{customer}assessments/", views.add_assessment, name="add_assessment"),
    path(f"{customer}invoices/", views.add_invoice, name="add_invoice"),
    path(f"{customer}payments/", views.add_payment, name="add_payment"),
    path("documents/<int:pk>/", views.document_file, name="document"),
]
