from django.urls import path

from gendan.shipping import views

app_name = "shipping"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("deliveries/", views.delivery_list, name="deliveries"),
    path("settlements/", views.settlement_list, name="settlements"),
    path("orders/<str:number>/", views.order_page, name="order"),
    path("orders/<str:number>/notice/", views.issue_notice_view, name="issue_notice"),
    path(
        "orders/<str:number>/settlement/",
        views.request_settlement_view,
        name="request_settlement",
    ),
    path("notices/<str:number>/", views.notice_page, name="notice"),
    path("notices/<str:number>/print.pdf", views.notice_pdf, name="notice_pdf"),
    path("notices/<str:number>/dispatch/", views.dispatch_view, name="dispatch"),
    path("notices/<str:number>/cancel/", views.cancel_notice_view, name="cancel_notice"),
    path("shipments/<str:number>/", views.shipment_page, name="shipment"),
    path("shipments/<str:number>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path(
        "shipments/<str:number>/delivery-note.pdf",
        views.delivery_note_pdf,
        name="delivery_note_pdf",
    ),
    path("shipments/<str:number>/sign-off/", views.sign_off_view, name="sign_off"),
    path("shipments/<str:number>/discrepancy/", views.discrepancy_view, name="discrepancy"),
    path("discrepancies/<int:pk>/resolve/", views.resolve_view, name="resolve"),
    path(
        "settlements/<str:number>/receive/",
        views.receive_settlement_view,
        name="receive_settlement",
    ),
]
