"""Home, sign-in and sign-out. Names are global ("home", "login", "logout") because the
settings refer to them (LOGIN_URL, LOGIN_REDIRECT_URL, LOGOUT_REDIRECT_URL)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from gendan.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
