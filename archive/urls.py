from django.contrib import admin
from django.urls import include, path

from archive.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("statements.urls")),
]

# Pages for failures (templates/404.html, 500.html, 503.html); see archive/errors.py.
handler500 = "archive.errors.server_error"
