from __future__ import annotations

from django.urls import path

from advisor import api, embed, import_views, openapi, plumbing, views

# Three groups: the pages (the wizard, the result, the embed), the JSON API with the import,
# and the HTTP plumbing. Plumbing imports no page; the API imports no page view.
urlpatterns = [
    # Pages
    path("", views.wizard, name="wizard"),
    path("summary/", views.wizard_summary, name="wizard-summary"),
    path("result/", views.result, name="result"),
    path("result.md", views.result_markdown, name="result-markdown"),
    # The embed mounts the wizard's addresses under embed/ (advisor/embed.py: mounted).
    path("embed/", embed.wizard, name="embed-wizard"),
    path("embed/summary/", embed.wizard_summary, name="embed-wizard-summary"),
    path("embed/result/", embed.result, name="embed-result"),
    path("oembed/", embed.oembed, name="oembed"),
    # The JSON API, and the import (its page and its endpoint share one module)
    path("api/v1/evaluate", api.evaluate_view, name="api-evaluate"),
    path("api/v1/questions", api.questions_view, name="api-questions"),
    path("api/v1/openapi.json", openapi.openapi_view, name="api-openapi"),
    path("import/", import_views.import_page, name="import"),
    path("api/v1/import", import_views.import_view, name="api-import"),
    # HTTP plumbing
    path("healthz", plumbing.healthz, name="healthz"),
    path("favicon.ico", plumbing.favicon, name="favicon"),
]
