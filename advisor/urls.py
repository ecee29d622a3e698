from __future__ import annotations

from django.urls import path

from advisor import api, embed, import_views, views

urlpatterns = [
    path("", views.wizard, name="wizard"),
    path("summary/", views.wizard_summary, name="wizard-summary"),
    path("result/", views.result, name="result"),
    path("result.md", views.result_markdown, name="result-markdown"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("import/", import_views.import_page, name="import"),
    # The embed mounts the wizard's addresses under embed/ (advisor/embed.py: mounted).
    path("embed/", embed.wizard, name="embed-wizard"),
    path("embed/summary/", embed.wizard_summary, name="embed-wizard-summary"),
    path("embed/result/", embed.result, name="embed-result"),
    path("oembed/", embed.oembed, name="oembed"),
    path("api/v1/evaluate", api.evaluate_view, name="api-evaluate"),
    path("api/v1/questions", api.questions_view, name="api-questions"),
    path("api/v1/openapi.json", api.openapi_view, name="api-openapi"),
    path("api/v1/import", import_views.import_view, name="api-import"),
]
