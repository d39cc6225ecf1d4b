from django.urls import path

from gendan.emergency import views

app_name = "emergency"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("weekly/", views.weekly, name="weekly"),
    path("weekly/pdf/", views.weekly_pdf, name="weekly_pdf"),
    path("orders/<str:number>/identify/", views.identify, name="identify"),
    path("<str:number>/", views.case_detail, name="case"),
    path("<str:number>/confirm/", views.confirm, name="confirm"),
    path("<str:number>/options/", views.options, name="options"),
    path("<str:number>/options/<int:option_id>/choose/", views.choose, name="choose"),
    path("<str:number>/problems/", views.record_problem, name="problem"),
    path("<str:number>/close/", views.close, name="close"),
]
