"""Builds the optional language model from CONNECTOR_LLM ("provider:model"), with LangChain's init_chat_model.

    llm = build_llm(settings)     # None when CONNECTOR_LLM is not set: answers stay extractive

Examples: "openai:gpt-4o-mini" (OPENAI_API_KEY; OPENAI_BASE_URL for a compatible server),
"azure_openai:my-deployment", "ollama:llama3.1".
"""

from __future__ import annotations

import logging
from typing import Any

from connector.errors import ConfigError
from connector.settings import Settings

log = logging.getLogger(__name__)


def build_llm(settings: Settings) -> Any | None:
    """A chat model with temperature 0, bounded output and a timeout; None when none is configured."""
    if not settings.llm:
        return None
    if ":" not in settings.llm:
        raise ConfigError(f"CONNECTOR_LLM must look like 'provider:model', got {settings.llm!r}")
    from langchain.chat_models import init_chat_model

    try:
        model = init_chat_model(
            settings.llm,
            temperature=0,
            max_tokens=settings.llm_max_tokens,
            timeout=settings.llm_timeout_seconds,
            max_retries=1,
        )
    except (ImportError, ValueError) as error:
        raise ConfigError(f"CONNECTOR_LLM={settings.llm!r} cannot be used: {error}") from error
    log.info("language model configured model=%s", settings.llm)
    return model
