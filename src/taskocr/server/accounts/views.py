from django.conf import settings
from django.contrib.auth import login
from django.shortcuts import redirect, render

from . import services


def signin_link(request, token: str):
    user = services.redeem_signin_link(token)
    if user is None:
        return render(request, "ui/link_used.html", status=410)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(settings.LOGIN_REDIRECT_URL)
