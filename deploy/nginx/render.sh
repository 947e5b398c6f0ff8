#!/bin/sh
# Renders s4c.conf.template (an http{} include) from the environment, with envsubst limited to the
# S4C_ names so nginx's own $variables stay as they are. The proxy image runs it at start
# (/docker-entrypoint.d/); tests/deploy/test_proxy.py renders the same file with it.
#   render.sh [template] [output]
set -eu
template=${1:-/etc/nginx/s4c/s4c.conf.template}
output=${2:-/etc/nginx/conf.d/s4c.conf}

: "${S4C_UPSTREAM:=web:8000}"            # gunicorn, never published itself
: "${S4C_LISTEN:=80}"                    # plain HTTP: Django redirects it to HTTPS
: "${S4C_TLS_LISTEN:=443}"
: "${S4C_TLS_CERTIFICATE:=/etc/nginx/tls/fullchain.pem}"
: "${S4C_TLS_CERTIFICATE_KEY:=/etc/nginx/tls/privkey.pem}"
: "${S4C_STATIC_ROOT:=/srv/s4c/static}"
: "${S4C_MEDIA_ROOT:=/var/lib/s4c/media}"
: "${UPLOAD_MAX_BYTES:=26214400}"
: "${S4C_ACCESS_LOG:=/var/log/nginx/access.log}"  # the official image sends it to stdout
# The admin's forms carry an upload of up to UPLOAD_MAX_BYTES plus a few fields and the multipart
# boundaries: one MiB more leaves Django to refuse an oversized file with a message of its own.
S4C_ADMIN_MAX_BODY=$((UPLOAD_MAX_BYTES + 1048576))
export S4C_UPSTREAM S4C_LISTEN S4C_TLS_LISTEN S4C_TLS_CERTIFICATE S4C_TLS_CERTIFICATE_KEY \
    S4C_STATIC_ROOT S4C_MEDIA_ROOT S4C_ADMIN_MAX_BODY S4C_ACCESS_LOG

envsubst '${S4C_UPSTREAM} ${S4C_LISTEN} ${S4C_TLS_LISTEN} ${S4C_TLS_CERTIFICATE} ${S4C_TLS_CERTIFICATE_KEY} ${S4C_STATIC_ROOT} ${S4C_MEDIA_ROOT} ${S4C_ADMIN_MAX_BODY} ${S4C_ACCESS_LOG}' \
    < "$template" > "$output"
