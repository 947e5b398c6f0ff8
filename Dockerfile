# Production image for s4c: gunicorn serves the portal, the same image runs Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
RUN useradd --system --uid 1000 --home /app s4c \
    && mkdir -p /var/lib/s4c/media && chown s4c /var/lib/s4c/media

COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .

COPY . .
# Static files and the Arabic catalogue are built into the image (no gettext needed).
RUN DEBUG=true SECRET_KEY=build-only python manage.py compiletranslations \
    && DEBUG=true SECRET_KEY=build-only python manage.py collectstatic --noinput

USER s4c
EXPOSE 8000
CMD ["gunicorn", "s4c.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
