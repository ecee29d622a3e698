"""Gunicorn's configuration for the container image: `gunicorn --config gunicorn.conf.py`.

Every value comes from the environment (documented in README.md, "Configuration"), with
defaults for a task of one vCPU behind an Application Load Balancer.
"""

from __future__ import annotations

import os

# The port the load balancer's target group sends to; HOST=127.0.0.1 keeps it on loopback.
bind = [f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"]

# evaluate() is pure Python and CPU-bound: a worker process per core does the work, and a few
# threads per worker keep a slow client from holding a whole process.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20  # ECS sends SIGTERM, then SIGKILL 30 s later (stopTimeout)
# Longer than the ALB's idle timeout (60 s), so the load balancer, not gunicorn, closes idle
# keep-alive connections: otherwise a request can race the close and get a 502.
keepalive = 75
# Load the application once, in the master: a configuration error (no DJANGO_SECRET_KEY)
# stops the server at start-up with Django's message, instead of workers failing in a loop.
preload_app = True
# The heartbeat file on a RAM disk: a container's overlay filesystem can stall it.
worker_tmp_dir = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
# No control socket: the container runtime manages the process, and HOME may not exist.
control_socket_disable = True
# The longest request line (method, path, query, protocol) gunicorn reads: its default, written
# down because the app's own limit (advisor.limits.MAX_QUERY_BYTES, 2048 bytes of query) must
# stay below it, so that an over-long address gets the app's 414 that names the limit rather
# than gunicorn's bare 400. tests/test_limits.py checks both, and that the longest permalink
# fits.
limit_request_line = 4094

# One log line per request comes from the application (advisor.middleware), so gunicorn's
# access log is off. Its own messages (start-up, worker restarts) are JSON on stdout too.
accesslog = None
loglevel = os.environ.get("DJANGO_LOG_LEVEL", "INFO").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "advisor.jsonlog.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                   "formatter": "json"},
    },
    "root": {"handlers": ["stdout"], "level": loglevel.upper()},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(),
                           "propagate": False},
        # A logging config turns gunicorn's access log on; it has nowhere to go.
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}


def on_starting(server) -> None:
    """Load the URLconf, and so every view module, in the master before the workers fork.

    Django loads it on the first request. Done here, the workers share those pages of memory
    and none makes its first reader wait for the imports (measured: a worker's first result
    page took 55-70 ms without this, 8-30 ms with it; later ones take 8 ms).
    """
    if server.cfg.preload_app:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 - loading it is the point
