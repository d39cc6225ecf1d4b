from django.urls import path

from gendan.warehouse import views

app_name = "warehouse"
urlpatterns = [
    path("", views.home, name="home"),
    path("wo/<str:number>/receive/", views.receive_view, name="receive"),
    path("receipts/<str:number>/", views.receipt_detail, name="receipt"),
]
