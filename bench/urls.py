"""The site's URLs with the two baselines in front of them (before Wagtail's catch-all)."""

from django.urls import path

from bench import views
from website.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/constant/", views.constant_view),
    path("bench/insert/", views.insert_view),
    *site_urlpatterns,
]
