from django.conf import settings
from django.contrib.auth import login
from django.http import HttpResponse
from django.shortcuts import redirect

from . import services


def signin_link(request, token: str):
    user = services.redeem_signin_link(token)
    if user is None:
        return HttpResponse(
            "This sign-in link was already used or has expired. "
            "Restart `taskocr serve` or ask for a new link.",
            status=410,
            content_type="text/plain",
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(settings.LOGIN_REDIRECT_URL)
