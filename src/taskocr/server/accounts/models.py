"""One-time sign-in links: `taskocr serve` prints one so the browser needs no password."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SignInLink(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)  # only the hash is stored
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sign-in link for {self.user} ({'used' if self.used_at else 'unused'})"
