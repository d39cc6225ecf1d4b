from django.urls import path

from gendan.purchasing import views

app_name = "purchasing"
urlpatterns = [
    path("", views.purchase_order_list, name="list"),
    path("late/", views.late_lines_view, name="late"),
    path("po/<str:number>/", views.purchase_order_detail, name="purchase_order"),
    path("po/<str:number>/lines/<int:line_id>/receive/", views.receive_view, name="receive"),
    path(
        "po/<str:number>/lines/<int:line_id>/expected-date/",
        views.expected_date_view,
        name="expected_date",
    ),
    path("po/<str:number>/cancel/", views.cancel_view, name="cancel"),
    path("orders/<str:number>/plan/", views.purchase_plan_view, name="plan"),
    path("incidents/", views.incident_list, name="incidents"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("incidents/<int:pk>/handle/", views.handle_view, name="incident_handle"),
    path("incidents/<int:pk>/escalate/", views.escalate_view, name="incident_escalate"),
    path("suppliers/", views.supplier_list, name="suppliers"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="supplier"),
    path("materials/", views.material_list, name="materials"),
    path("materials/<int:pk>/", views.material_detail, name="material"),
]
