# One image per Python environment, from this one file (docker-compose.yml builds each by its target):
#   --target rasa  the Rasa server only (Python 3.10: Rasa 3.6 runs on no newer one), requirements/rasa.txt,
#                  with the model trained into it, so every Rasa container serves the same one;
#   --target app   every other process: the action server, the web app, the worker and the migration job
#                  (Python 3.13, which gets security fixes: rasa-sdk 3.21, SQLAlchemy 2.0, Sanic 25),
#                  requirements/app.txt.
# Only what runs in production goes in: no test tools (they are in requirements/*-dev.txt), and .dockerignore
# leaves out the tests, benchmarks, evaluations and local state. The interpreters' patch releases are those the
# development machines' pyenv has (3.10.13, 3.13.0), where the test suite runs: raise them together.

# The website widget's socket.io client, as package-lock.json pins it (the web app refuses to start without it).
FROM node:20.18.1-bookworm-slim AS widget
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.10.13-slim-bookworm AS rasa
ENV PYTHONUNBUFFERED=1 RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \
    && rm -rf /var/lib/apt/lists/*
COPY requirements/rasa.txt requirements/
RUN pip install --no-cache-dir "pip==26.3" && pip install --no-cache-dir -r requirements/rasa.txt && pip check
COPY . .
RUN rasa train --out models && useradd --create-home evn && mkdir -p var && chown -R evn var models
USER evn
CMD ["python", "-m", "ops.rasa_server", "run", "--enable-api", "--port", "5005", "--model", "models"]

FROM python:3.13.0-slim-bookworm AS app
ENV PYTHONUNBUFFERED=1
WORKDIR /app
# The bill's and the receipt's PDF are drawn with DejaVu Sans (every Vietnamese diacritic).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements/app.txt requirements/
RUN pip install --no-cache-dir "pip==26.3" && pip install --no-cache-dir -r requirements/app.txt && pip check
COPY . .
COPY --from=widget /app/node_modules node_modules
RUN useradd --create-home evn && mkdir -p var && chown -R evn var
USER evn
CMD ["python", "-m", "webapp"]
