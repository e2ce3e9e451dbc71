from django.urls import path

from statements import views

urlpatterns = [
    path("", views.home, name="home"),
    path("transcripts/<slug:slug>/", views.transcript_detail, name="transcript_detail"),
]
