"""Signing in with a username and password (the one-time link is accounts' own view)."""

from django.contrib.auth import views as auth_views


class SignInView(auth_views.LoginView):
    template_name = "ui/signin.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET), so a stray link cannot sign anyone out."""
