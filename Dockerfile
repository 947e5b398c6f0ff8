# Production images for s4c. `docker build .` (the last stage) is the application image: gunicorn
# serves the portal, and the same image runs the Celery worker and beat. The `proxy` stage is the
# front server (nginx), with the collected static files built in (docker-compose.yml builds both).
FROM python:3.11-slim-bookworm AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
RUN useradd --system --uid 1000 --home /app s4c \
    && mkdir -p /var/lib/s4c/media && chown s4c /var/lib/s4c/media

COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .

COPY . .
# The Arabic catalogues and the static files (hashed names, .gz twins and the manifest), built
# with DEBUG off as production runs: see deploy/build-static.sh.
RUN sh deploy/build-static.sh

USER s4c
EXPOSE 8000
CMD ["gunicorn", "s4c.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]


# The front server: slow clients, body sizes, static and media files (deploy/nginx/).
FROM nginx:1.27 AS proxy
RUN rm /etc/nginx/conf.d/default.conf
COPY --from=app /app/staticfiles /srv/s4c/static
COPY deploy/nginx/s4c.conf.template /etc/nginx/s4c/s4c.conf.template
# Run by the image's entrypoint before nginx starts: renders the template from the environment.
COPY deploy/nginx/render.sh /docker-entrypoint.d/40-s4c-render.sh
RUN chmod +x /docker-entrypoint.d/40-s4c-render.sh


FROM app
