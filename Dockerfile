# A slim image that migrates the configured database, then serves the API.
# Configure with TRIBUTARY_* variables; TRIBUTARY_DATABASE_URL must point at PostgreSQL 15+.
# Behind a reverse proxy, list its addresses in TRIBUTARY_TRUSTED_PROXIES (forwarded headers are
# read from those only). /graphql also takes WebSocket upgrades (GraphQL subscriptions, see
# docs/realtime.md): a proxy in front must pass them through.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 TRIBUTARY_ENV=production TRIBUTARY_HOST=0.0.0.0
WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY domain ./domain
COPY migrations ./migrations
RUN pip install --no-cache-dir . && useradd --system tributary
USER tributary
EXPOSE 8000
CMD ["sh", "-c", "tributary migrate && tributary serve --workers ${TRIBUTARY_WORKERS:-2}"]
