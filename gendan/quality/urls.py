from django.urls import path

from gendan.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.home, name="home"),
    path("standards/", views.standard_list, name="standards"),
    path("standards/new/", views.standard_create, name="standard_create"),
    path("standards/<int:pk>/", views.standard_detail, name="standard"),
    path("standards/<int:pk>/edit/", views.standard_edit, name="standard_edit"),
    path("standards/<int:pk>/deactivate/", views.standard_deactivate, name="standard_deactivate"),
    path("standards/<int:pk>/reactivate/", views.standard_reactivate, name="standard_reactivate"),
    path("inspect/receipt/<int:pk>/", views.inspect_receipt_view, name="inspect_receipt"),
    path("inspect/progress/<int:pk>/", views.inspect_progress_view, name="inspect_progress"),
    path("inspect/wo/<str:number>/", views.inspect_final_view, name="inspect_final"),
    path("inspections/<str:number>/", views.inspection_detail, name="inspection"),
    path("inspections/<str:number>/print/", views.inspection_print, name="inspection_print"),
    path("nc/<str:number>/", views.nonconformance_detail, name="nonconformance"),
    path("nc/<str:number>/decide/", views.decide_view, name="decide"),
    path("nc/<str:number>/reinspect/", views.reinspect_view, name="reinspect"),
    path("nc/<str:number>/print/", views.nonconformance_print, name="nonconformance_print"),
    path("orders/<str:number>/", views.order_quality, name="order"),
]
