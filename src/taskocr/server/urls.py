from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .accounts.views import signin_link
from .jobs.api import errors

urlpatterns = [
    path("api/", include("taskocr.server.jobs.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("auth/link/<str:token>/", signin_link, name="signin-link"),
    path("admin/", admin.site.urls),
    path("", include("taskocr.server.ui.urls")),  # the web app
]


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return errors.json_404(request, exception)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler400(request, exception=None):
    if request.path.startswith("/api/"):
        return errors.json_400(request, exception)
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return errors.json_500(request)
    from django.views.defaults import server_error

    return server_error(request)
