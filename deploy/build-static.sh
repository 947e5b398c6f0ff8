#!/bin/sh
# Build-time steps of the image (Dockerfile) and of tests/deploy/test_static_build.py: the Arabic
# catalogues and the static files, collected exactly as production serves them.
#
# collectstatic runs with DEBUG off, so the settings pick whitenoise's
# CompressedManifestStaticFilesStorage: it writes the hashed names, their .gz twins and
# staticfiles.json (the manifest). With DEBUG on no manifest is written, and with DEBUG off at
# run time every templated page then fails ("Missing staticfiles manifest entry").
# The key and host below only satisfy the production checks for this build step; nothing made
# here depends on them.
set -eu
PYTHON=${PYTHON:-python}
export DEBUG=false
export SECRET_KEY=build-only-key-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz
export ALLOWED_HOSTS=build.invalid
unset S4C_TESTING || true
"$PYTHON" manage.py compiletranslations
"$PYTHON" manage.py collectstatic --noinput
