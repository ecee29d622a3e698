# The advisor as a container: gunicorn serving the Django app, static files included.
#   docker build -t fargate-networking-advisor .
#   docker run -p 8000:8000 -e DJANGO_SECRET_KEY=... fargate-networking-advisor
# Configuration is environment variables only; README.md ("Configuration") lists them all.

# --- build: install the dependencies, collect the static files ------------------------------
FROM python:3.11-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

# The dependencies alone first, from the pinned ranges in pyproject.toml, so this layer is
# rebuilt only when they change. The base image's pip installs into a venv without pip: the
# final image carries the runtime dependencies and nothing to install more with.
WORKDIR /app
COPY pyproject.toml ./
RUN python -m venv --without-pip /venv \
    && pip --python /venv/bin/python install --no-cache-dir .

COPY manage.py gunicorn.conf.py ./
COPY advisor ./advisor
COPY templates ./templates
COPY static ./static
# Hashed file names and their gzip and Brotli copies, made once, here. The key only lets the
# settings load; nothing is signed at build time and the image keeps no secret.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_STATIC_ROOT=/app/staticfiles \
    /venv/bin/python manage.py collectstatic --noinput --verbosity 0 \
    && /venv/bin/python -m compileall -q advisor

# --- final: the runtime only ----------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PATH="/venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=advisor.settings \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    PORT=8000

# A system user with no home and no shell; the code it runs belongs to root, read-only to it.
RUN useradd --system --user-group --uid 10001 --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin advisor

COPY --from=build /venv /venv
COPY --from=build /app /app
WORKDIR /app

USER 10001:10001
EXPOSE 8000

# slim has no curl: ask /healthz with Python's own urllib (any non-2xx answer raises).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/healthz', timeout=4)"]

CMD ["gunicorn", "--config", "gunicorn.conf.py", "advisor.wsgi"]
