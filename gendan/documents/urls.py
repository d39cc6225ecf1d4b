from django.urls import path

from gendan.documents import views

app_name = "documents"
urlpatterns = [
    path("order/<str:number>/", views.order_documents, name="order"),
    path("<int:pk>/download/", views.download, name="download"),
]
