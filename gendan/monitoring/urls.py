from django.urls import path

from gendan.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.supervision_view, name="supervision"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/resolve/", views.resolve_view, name="resolve"),
    path("run/", views.run_view, name="run"),
]
