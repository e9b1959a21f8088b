"""Users, API tokens and one-time sign-in links."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from .models import SignInLink


class UserExists(Exception):
    pass


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def create_user(name: str, *, staff: bool = False, password: str | None = None):
    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(username=name).exists():
            raise UserExists(f"user {name!r} already exists")
        user = User.objects.create_user(username=name, is_staff=staff, is_superuser=staff)
        if password:
            user.set_password(password)  # the web app's sign-in form
        else:
            user.set_unusable_password()  # tokens and sign-in links only
        user.save(update_fields=["password"])
        token_for(user)
    return user


def local_user():
    """The embedded server's own user (staff, so the sign-in link also opens the admin)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=settings.LOCAL_USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def issue_signin_link(user, ttl_s: int | None = None) -> str:
    """A new single-use secret; the caller builds the URL from it."""
    raw = secrets.token_urlsafe(32)
    ttl = settings.SIGNIN_LINK_TTL_S if ttl_s is None else ttl_s
    SignInLink.objects.create(
        user=user, token_hash=_hash(raw), expires_at=timezone.now() + timedelta(seconds=ttl)
    )
    return raw


def redeem_signin_link(raw: str):
    """The link's user if it is unused and unexpired, marking it used; else None.
    One conditional UPDATE, so two browsers racing on one link cannot both get in."""
    now = timezone.now()
    link = SignInLink.objects.filter(token_hash=_hash(raw)).select_related("user").first()
    if link is None:
        return None
    claimed = SignInLink.objects.filter(
        pk=link.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not claimed or not link.user.is_active:
        return None
    return link.user
