from django.urls import path

from gendan.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.gantt, name="gantt"),
    path("replan/", views.replan, name="replan"),
    path("apply/", views.apply, name="apply"),
    path("orders/<str:number>/promise/", views.promise_panel, name="promise"),
    path("orders/<str:number>/promise/recompute/", views.promise_recompute, name="recompute"),
]
