from django.urls import path

from gendan.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("<int:pk>/complete/", views.task_complete, name="complete"),
]
