from rest_framework.authentication import TokenAuthentication as _Token


class TokenAuthentication(_Token):
    """DRF's token auth; also takes ``Authorization: Bearer <token>`` as many clients send it."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header[:7].lower() == "bearer ":
            return self.authenticate_credentials(header[7:].strip())
        return super().authenticate(request)
