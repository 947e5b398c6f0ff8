from django.urls import path

from . import views

app_name = "actionplan"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.plan_detail, name="plan"),
    path("<slug:slug>/deliverables/", views.deliverables, name="deliverables"),
    path("<slug:slug>/download/<str:table>.<str:fmt>", views.download, name="download"),
]
