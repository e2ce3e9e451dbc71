from django.urls import path

from statements import api, citation_views, feeds, views
from statements.alerts import views as alerts

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/feed/", feeds.search_feed, name="search_feed"),
    path("search/export.csv", api.statements_csv, name="search_export"),
    path("api/", api.api_page, name="api_docs"),
    path("api/openapi.json", api.openapi_json, name="openapi"),
    path("api/statements/", api.statements_json, name="api_statements"),
    path("dumps/", api.dumps_page, name="dumps"),
    path("alerts/subscribe/", alerts.subscribe, name="alert_subscribe"),
    path("alerts/confirm/<str:token>/", alerts.confirm, name="alert_confirm"),
    path("alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="alert_unsubscribe"),
    path("dumps/<str:name>", api.dump_file, name="dump_file"),
    path("transcripts/", views.transcript_list, name="transcript_list"),
    path("transcripts/<slug:slug>/", views.transcript_detail, name="transcript_detail"),
    path("transcripts/<slug:slug>/history/", views.transcript_history, name="transcript_history"),
    path("transcripts/<slug:slug>/source/", views.transcript_source, name="transcript_source"),
    path("statements/<int:pk>/", views.statement_detail, name="statement_detail"),
    path(
        "statements/<int:pk>/cite.<str:fmt>",
        citation_views.statement_citation,
        name="statement_citation",
    ),
    path(
        "transcripts/<slug:slug>/cite.<str:fmt>",
        citation_views.transcript_citation,
        name="transcript_citation",
    ),
    path("speakers/", views.speaker_list, name="speaker_list"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker_detail"),
    path(
        "speakers/<slug:slug>/feed/", api.read_only(feeds.SpeakerStatements()), name="speaker_feed"
    ),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("topics/<slug:slug>/feed/", api.read_only(feeds.TopicStatements()), name="topic_feed"),
    path("feeds/latest/", api.read_only(feeds.LatestStatements()), name="latest_feed"),
]
