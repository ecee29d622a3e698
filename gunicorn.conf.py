"""Gunicorn's configuration for the container image: `gunicorn --config gunicorn.conf.py`.

Every value comes from the environment (documented in README.md, "Configuration"), with
defaults for a task of one vCPU behind an Application Load Balancer.
"""

from __future__ import annotations

import gc
import os

# gevent's cooperative sockets, locks and queues must replace the standard library's before
# anything imports it: preload_app (below) imports Django in this process, before the fork.
# Only when gunicorn reads this file (it loads it as `__config__`); a test that reads its
# values (tests/test_limits.py) stays unpatched.
if __name__ == "__config__":
    from gevent import monkey

    monkey.patch_all()

# The port the load balancer's target group sends to; HOST=127.0.0.1 keeps it on loopback.
bind = [f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"]

# evaluate() is pure Python and CPU-bound: a worker process per core does the work. Each worker
# is a gevent loop: a connection is a greenlet, so a client that sends its headers or its body
# a byte a second holds only its own greenlet, never a worker or a thread, and /healthz and
# the pages keep answering (tests/test_production.py holds 50 such clients open). gunicorn
# still parses every request itself, so its limits below and their 414/431 answers stand.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gevent"
# Connections each worker holds open at once (idle keep-alive ones and slow clients included).
worker_connections = int(os.environ.get("GUNICORN_CONNECTIONS", "1000"))
# Each worker listens on a socket of its own (SO_REUSEPORT, per worker from gunicorn 24 on):
# the kernel spreads new connections over the workers, instead of whichever worker wakes
# first taking them all, so a few keep-alive connections cannot leave a core idle.
reuse_port = True
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
# The longest request line (method, path, query, protocol) gunicorn reads (its maximum; the
# default, 4094, is too short since the network-detail answers), written down because the
# app's own limit (advisor.limits.MAX_QUERY_BYTES, 6144 bytes of query) must
# stay below it, so that an over-long address gets the app's 414 that names the limit rather
# than gunicorn's bare 400. tests/test_limits.py checks both, and that the longest permalink
# fits.
limit_request_line = 8190

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
    """Warm up in the master, before the workers fork: each worker then starts with it done.

    Django loads the URLconf (and so every view module) on the first request, compiles each
    template the first time it renders it, caching.release() hashes the release on the
    first cacheable answer, and the first answers with unknowns list what each requirement
    reads. Done here, the workers share those pages of memory and no
    worker's first reader waits for them (measured: a worker's first result page took
    56-85 ms without this). Nothing here opens a connection: a socket made before the fork
    would be shared by every worker.
    """
    if not server.cfg.preload_app:
        return
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver

    from advisor.caching import release
    from advisor.rules.requirements import NEEDS
    from advisor.rules.search import reads_of

    get_resolver().url_patterns  # noqa: B018 - loading it is the point
    for need in NEEDS:  # what each requirement reads, found once by a search (~0.2 s)
        reads_of(need.condition)
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(directory.rglob("*.html")):
            get_template(path.relative_to(directory).as_posix())
    release()
    # What the master holds now lives as long as every worker: out of the collector's sight,
    # a full collection in a worker walks only what the worker made itself (one took 100-160
    # ms with it), and the pages stay shared after the fork (the collector writes to every
    # object it visits).
    gc.collect()
    gc.freeze()
