"""The one object that travels through the answer pipeline (guard -> follow-up -> route -> retrieve ->
compose -> check). A step reads what earlier steps left and may end the run with `stop()`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from connector.types import Hit, Status

if TYPE_CHECKING:
    from connector.conversation import Topic


@dataclass
class Source:
    """A citation shown under an answer."""

    title: str
    url: str
    snippet: str = ""


@dataclass
class Turn:
    """One earlier exchange in a session, for follow-up questions."""

    question: str  # the standalone form of what was asked
    answer: str
    route: str = "search"
    slots: dict[str, Any] = field(default_factory=dict)  # what a tool or search understood (town, level, ...)
    pages: list[str] = field(default_factory=list)  # the pages a search answer cited, best first


@dataclass
class Offer:
    """A tool's answer kept to follow the pages' answer, or to stand in for it when the pages have none:
    its question for the one input it lacks ("I can work out your levy. What is your annual pay bill?"),
    or its working for the asker's own case when the pages describe the course the question names."""

    route: str
    answer: str
    slots: dict[str, Any]
    cards: list[dict[str, Any]] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass
class Context:
    question: str
    audience: str | None = None
    session_id: str = ""
    history: list[Turn] = field(default_factory=list)
    # What the conversation was about after its last answered turn (connector/conversation.py).
    topic: Topic | None = None
    # The question rewritten to stand alone ("and part-time?" -> "level 3 digital courses ... part-time").
    standalone_question: str = ""
    # Which handler answers: "search" (retrieval), or a deterministic tool such as "levy" or "courses".
    route: str = "search"
    slots: dict[str, Any] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    searched_for: str = ""  # the query ctx.hits were found for: a question is searched once
    # Further passages of the best pages (other sections of the same page), for the composers only.
    page_hits: list[Hit] = field(default_factory=list)
    answer: str = ""
    status: Status | None = None
    sources: list[Source] = field(default_factory=list)
    # Structured results the widget renders as such: {"type": "course", ...} or {"type": "tool", ...}.
    cards: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # for logs: why a step decided what it did
    offer: Offer | None = None  # a tool that could only ask, heard after search (connector/steps/offer.py)

    @property
    def query(self) -> str:
        """The question to act on: the standalone form when a follow-up was resolved."""
        return self.standalone_question or self.question

    @property
    def stopped(self) -> bool:
        return self.status is not None

    def stop(self, status: Status, answer: str) -> None:
        """End the run with a named outcome and the message the user sees."""
        self.status = status
        self.answer = answer
