"""One JSON object per log line, for the advisor's and gunicorn's logs alike.

A log collector (CloudWatch Logs, Loki, anything that reads stdout) can then filter on fields
instead of parsing text. This module imports nothing from Django, so gunicorn's master process
can use it before the application loads.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any


class JsonFormatter(logging.Formatter):
    """`time`, `level`, `logger`, `message`, then the record's `fields` (a dict), if any.

    Whatever a message holds (a path with a newline, a quote) stays inside one JSON string,
    so a request cannot forge a log line.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


class RefusedHost(logging.Filter):
    """Django's DisallowedHost report as one short WARNING, without the traceback or the host.

    Django logs every request for a host outside ALLOWED_HOSTS as an ERROR with a full
    traceback and the host it was sent. Scanners send such requests all day: it is a refusal
    working as designed, not an error, and the host is the sender's text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.msg = "Refused a request whose Host header is not in DJANGO_ALLOWED_HOSTS"
        record.args = ()
        record.exc_info = record.exc_text = None
        return True
