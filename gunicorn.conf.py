# gunicorn reads this file from the working directory by default (the image's /app).
# Its access log goes through the portal's redaction: sign-in tokens never reach a log.
logger_class = "core.observability.GunicornLogger"
