from django.urls import path

from gendan.production import views

app_name = "production"
urlpatterns = [
    path("", views.work_order_list, name="list"),
    path("wo/<str:number>/", views.work_order_detail, name="work_order"),
    path("wo/<str:number>/progress/", views.report_progress_view, name="report_progress"),
    path("wo/<str:number>/change/", views.change_plan_view, name="change_plan"),
    path("wo/<str:number>/print/", views.work_order_print, name="work_order_print"),
    path("orders/<str:number>/plan/", views.order_plan, name="plan"),
    path("orders/<str:number>/plan/draft/", views.draft_view, name="draft"),
    path("orders/<str:number>/plan/approve/", views.approve_view, name="approve"),
    path("orders/<str:number>/plan/reschedule/", views.reschedule_view, name="reschedule"),
    path("work-centres/", views.work_centre_list, name="work_centres"),
    path("work-centres/<int:pk>/", views.work_centre_detail, name="work_centre"),
    path("routings/", views.routing_list, name="routings"),
    path("routings/<int:pk>/", views.routing_detail, name="routing"),
    path("teams/", views.team_list, name="teams"),
]
