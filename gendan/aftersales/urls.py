from django.urls import path

from gendan.aftersales import views

app_name = "aftersales"
urlpatterns = [
    path("", views.case_list, name="cases"),
    path("new/", views.case_create, name="case_create"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/escalate/", views.escalate_view, name="escalate"),
    path("<int:pk>/meeting/", views.meeting_view, name="meeting"),
    path("<int:pk>/resolve/", views.resolve_view, name="resolve"),
    path("<int:pk>/record.pdf", views.case_pdf, name="case_pdf"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("analysis/", views.analysis_view, name="analysis"),
    path("orders/<str:number>/", views.order_view, name="order"),
]
