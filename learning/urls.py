from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.index, name="index"),
    path("speakers/", views.speakers, name="speakers"),
    path("commitments/", views.commitments, name="commitments"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/<str:token>/", views.sign_in_link, name="sign-in-link"),
    path("me/", views.me, name="me"),
    path("<slug:slug>/", views.cohort_detail, name="cohort"),
    path("<slug:slug>/calendar.ics", views.cohort_ics, name="cohort-ics"),
    path("<slug:slug>/apply/", views.apply, name="apply"),
    path("<slug:slug>/applied/", views.applied, name="applied"),
    path("<slug:slug>/<slug:session>/", views.session_detail, name="session"),
    path("<slug:slug>/<slug:session>/calendar.ics", views.session_ics, name="session-ics"),
]
