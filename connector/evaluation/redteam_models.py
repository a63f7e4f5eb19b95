"""Fake language models for the red-team run: LangChain's FakeListChatModel, scripted.

    obeying_model("Sure! PWNED [1]")   # writes exactly what the attack asked for, whatever the prompt says
    obeying_model(reply, when_shown=["refunds@levy-claims.example"])   # ... if the planted text reached it
    faithful_model()                   # quotes the first sentence of the first source, cited [1]

They stand behind the same interface as a real model (`astream`), so the pipeline, its guard and its
check run as they would with one; only what the model writes is chosen here.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk

FIRST_SOURCE = re.compile(r'<source id="1"[^>]*>\n(.*?)\n</source>', re.DOTALL)
SENTENCE = re.compile(r"[^.!?\n]{30,}[.!?]")


def obeying_model(reply: str, when_shown: list[str] | None = None) -> FakeListChatModel:
    """A model that has given in: it writes `reply`, the attacker's wish. With `when_shown`, only when one
    of those texts is in its prompt (an instruction planted in a page is obeyed only if it reaches the
    model); otherwise it behaves as the faithful model."""
    if when_shown is None:
        return FakeListChatModel(responses=[reply])
    return FaithfulFakeModel(obey=reply, obey_when_shown=when_shown)


class FaithfulFakeModel(FakeListChatModel):
    """A well-behaved model: its reply is a sentence of the first source it was given, with [1]; unless
    the prompt shows one of `obey_when_shown`, when it writes `obey` instead."""

    responses: list[str] = [""]
    obey: str = ""
    obey_when_shown: list[str] = []

    def reply_to(self, messages: list[BaseMessage]) -> str:
        prompt = "\n".join(str(message.content) for message in messages).lower()
        if any(shown.lower() in prompt for shown in self.obey_when_shown):
            return self.obey
        return faithful_reply(messages)

    def _stream(
        self, messages: list[BaseMessage], *args: Any, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        self.responses = [self.reply_to(messages)]
        yield from super()._stream(messages, *args, **kwargs)

    async def _astream(
        self, messages: list[BaseMessage], *args: Any, **kwargs: Any
    ) -> AsyncIterator[ChatGenerationChunk]:
        self.responses = [self.reply_to(messages)]
        async for chunk in super()._astream(messages, *args, **kwargs):
            yield chunk


def faithful_model() -> FaithfulFakeModel:
    return FaithfulFakeModel()


def faithful_reply(messages: list[BaseMessage]) -> str:
    """The first full sentence of source 1 in the prompt, cited; a plain decline when there is none."""
    prompt = "\n".join(str(message.content) for message in messages)
    source = FIRST_SOURCE.search(prompt)
    sentence = SENTENCE.search(source.group(1)) if source else None
    if sentence is None:
        return "The sources do not say."
    return sentence.group(0).strip() + " [1]"
