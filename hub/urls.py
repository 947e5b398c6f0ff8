from django.urls import path

from . import feeds, views

app_name = "hub"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/rss/", feeds.LatestResourcesRss(), name="feed-rss"),
    path("feed/atom/", feeds.LatestResourcesAtom(), name="feed-atom"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path("<slug:identifier>/", views.detail, name="detail"),
]
