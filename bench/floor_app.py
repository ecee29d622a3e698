"""The server's own floor, for bench/bench_server.py: a WSGI app that returns stored bytes.

gunicorn runs it with the advisor's own gunicorn.conf.py (same workers, gevent, reuse_port), so
the difference between it and the advisor is what Django and the advisor cost. BENCH_FLOOR_DIR
holds one file per endpoint (`result`, `step`, `api`: the median cold answer's body as sent,
compressed as it was sent), `<name>.type`, its Content-Type, and `<name>.encoding`, its
Content-Encoding; GET /<name> returns them.
"""

from __future__ import annotations

import os
from pathlib import Path

import django

# gunicorn.conf.py's warm-up (on_starting) loads the advisor's URLconf and templates in the
# master; it needs Django set up, though nothing here uses it afterwards.
django.setup()

_DIR = Path(os.environ["BENCH_FLOOR_DIR"])
_BODIES = {
    f"/{path.name}": (path.read_bytes(), (_DIR / f"{path.name}.type").read_text().strip(),
                      (_DIR / f"{path.name}.encoding").read_text().strip())
    for path in _DIR.iterdir() if path.suffix == ""
}


def application(environ, start_response):
    body, content_type, coding = _BODIES.get(environ["PATH_INFO"],
                                             (b"not found", "text/plain", "identity"))
    start_response("200 OK", [
        ("Content-Type", content_type),
        ("Content-Encoding", coding),
        ("Content-Length", str(len(body))),
        ("Vary", "Accept-Encoding"),
    ])
    return [body]
