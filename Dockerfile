# One image for every Python process of the production profile (Rasa server, action server, web app,
# worker); docker-compose.yml chooses the command. Python 3.10: Rasa 3.6 runs on no newer one.
# The model is trained into the image, so every Rasa container serves the same one. Only what runs in
# production goes in: requirements/rasa.txt (no test tools: they are in rasa-dev.txt), and
# .dockerignore leaves out the tests, benchmarks, evaluations and local state.

# The website widget's socket.io client, as package-lock.json pins it (the web app refuses to start without it).
FROM node:20.18.1-bookworm-slim AS widget
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.10.13-slim-bookworm

ENV PYTHONUNBUFFERED=1 RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \
    && rm -rf /var/lib/apt/lists/*
COPY requirements/rasa.txt requirements/
RUN pip install --no-cache-dir "pip==24.0" && pip install --no-cache-dir -r requirements/rasa.txt && pip check
COPY . .
COPY --from=widget /app/node_modules node_modules
RUN rasa train --out models && useradd --create-home evn && mkdir -p var && chown -R evn var models
USER evn
