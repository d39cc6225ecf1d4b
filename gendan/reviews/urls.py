from django.urls import path

from gendan.reviews import views

app_name = "reviews"
urlpatterns = [
    path("order/<str:number>/", views.order_reviews, name="order"),
    path("order/<str:number>/meeting/", views.schedule, name="schedule"),
    path("order/<str:number>/reject/", views.reject, name="reject"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path("<int:pk>/print.pdf", views.report_pdf, name="report_pdf"),
    path("meetings/<int:pk>/", views.meeting_view, name="meeting"),
    path("meetings/<int:pk>/sign/", views.sign, name="sign"),
    path("meetings/<int:pk>/print.pdf", views.minutes_pdf, name="minutes_pdf"),
]
