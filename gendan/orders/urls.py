from django.urls import path

from gendan.orders import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.order_create, name="create"),
    path("<str:number>/", views.order_detail, name="detail"),
    path("<str:number>/edit/", views.order_edit, name="edit"),
    path("<str:number>/ledger/", views.ledger_view, name="ledger"),
    path("<str:number>/transition/", views.transition_view, name="transition"),
    path("<str:number>/comment/", views.add_comment_view, name="comment"),
    path("<str:number>/communication/", views.log_communication_view, name="communication"),
    path("<str:number>/tasks/", views.open_task_view, name="open_task"),
]
