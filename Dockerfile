# One image for web, worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PARTNERXPRESS_VAR_DIR=/app/var
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install . && DJANGO_SECRET_KEY=build DJANGO_DEBUG=false python manage.py collectstatic --noinput
# Every folder a volume is mounted on must exist here, owned by the user: Docker would create
# a missing one owned by root (tests/deploy checks it against docker-compose.yml).
RUN useradd --create-home partnerxpress \
 && mkdir -p /app/var/media \
 && chown -R partnerxpress /app/var
USER partnerxpress
EXPOSE 8000
CMD ["gunicorn", "partnerxpress.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
