"""Follow-up step: decides whether a message continues the conversation's topic, and if so, what it
changes. "and in Anytown?" after a course search changes the place, "what about level 3?" the level,
"part-time?" adds the mode; "how long does it take?" after a guide's answer keeps the topic (and the pages
that answer cited, which retrieval then prefers). The previous turn's topic and filters are the session's
(connector/conversation.py); only what the new message names is changed.

How a message is judged (the course finder's understanding and the embedder decide, with one word list:
the connectives a sentence may open with):
1. What it names of its own is read as the course finder reads a search: filters (subject, level, place,
   mode, free, radius, start month, the learner's age or earnings) and the content words left over.
2. Nothing at all ("and?", "what about it?"), or only filters with no conversation to apply them to and
   nothing in the index it finds on its own ("CO4", "level 3?"), gets a request for more that says what
   it can do with what was given. A turn waiting for a reply (a tool asked for an input) is left to the
   tool.
3. Only filters, in a conversation: a refinement of the topic (`refine`) when the topic is a course search
   or already had the filters the message changes ("and level 3?" after a question about a level 2
   course). Otherwise (a guide's answer), a place alone is treated as in 2, and other filters ("is it
   free?") as words, in 4.
4. Words of its own, in a conversation: a message opening with a connective ("and how many tech ones?",
   "but do they pay for it?") continues the topic, as a sentence opening with one leans on the one
   before. Otherwise the embedder decides, by comparing the message's own retrieval
   strength with what the topic adds to it. A message whose best passage anywhere is below the relevance
   floor's weak match names no topic the index knows, so it continues the topic. Otherwise it continues
   the topic when joining it to the topic's question lifts its best passage by TOPIC_LIFT or more ("when
   does it start?" gains the course it is about); a question with a topic of its own gains little or
   loses (the old topic only dilutes it), and is a new question. A long message states its own topic and
   is taken as new without this test.
"""

from __future__ import annotations

from typing import Any

from connector.answer_words import opening
from connector.context import Context, Turn
from connector.conversation import Said, Topic, read_message
from connector.courses.understand import LEVEL, looks_like_course_search
from connector.services import Services
from connector.types import Status

# A message of more words than this states a topic of its own (a follow-up leans on the conversation and
# is short; the dev follow-ups are 1 to 9 words).
MAX_FOLLOW_UP_WORDS = 12
# How much joining a message to the topic's question must lift its best passage (dense cosine) for it to
# continue the topic; chosen on dev pairs of follow-ups and new questions, see docs/decisions/followups.md.
TOPIC_LIFT = 0.25
CLARIFY_ROUTE = "clarify"
# A message opening with a connective ("and ...", "but ...", "so ...") continues what was said, as a
# sentence opening with one does (the same list, corpus/answering/words.yaml).
OPENS_WITH_CONNECTIVE = opening("connective")


def run(ctx: Context, services: Services) -> None:
    """Set ctx.standalone_question (carrying the topic's slots) when the message is a follow-up; stop with
    a request for more when the message gives nothing to act on."""
    topic = ctx.topic or _topic_of_history(ctx.history)
    said = read_message(ctx.question)
    relation = relation_to(ctx.question, said, topic, services)
    ctx.notes.append(f"relation={relation}")
    if relation == "clarify":
        _ask_for_more(ctx, said, topic)
        return
    if relation == "new" or topic is None:
        ctx.standalone_question = ctx.question
        return
    if relation == "refine":
        ctx.standalone_question = with_changes(topic.question, topic.filters, said.filters, ctx.question)
        if topic.route == "courses":
            ctx.notes.append("refines_course_finder")  # its "none found" stands (route step)
    else:
        ctx.standalone_question = continued(ctx.question, topic.question)
    previous_slots = ctx.history[-1].slots if ctx.history else {}
    ctx.slots = {**previous_slots, **ctx.slots}
    ctx.notes.append("follow_up")


def relation_to(question: str, said: Said, topic: Topic | None, services: Services | None) -> str:
    """new, refine, continue or clarify: how a message relates to the conversation's topic."""
    if topic is not None and topic.waiting_for_reply:
        return "new"  # the tool that asked reads the reply itself
    if said.nothing:
        return "clarify"
    if (
        said.only_filters
        and topic is not None
        and (topic.refinable or set(said.filters) <= set(topic.filters))
    ):
        return "refine"  # a course search, or a question that already had what the message changes
    if topic is None or said.only_place:
        # Filters with nothing to apply them to ("CO4" alone, or after a guide's answer).
        lone_filters = said.only_filters and not looks_like_course_search(question, said.filters)
        return "clarify" if lone_filters and not _finds_on_its_own(question, services) else "new"
    if OPENS_WITH_CONNECTIVE.match(question.strip()):
        return "continue"  # "and how many tech ones?": it leans on what was said, whatever it lifts
    if len(question.split()) > MAX_FOLLOW_UP_WORDS or services is None or services.retriever is None:
        return "new"
    return "continue" if _served_by_topic(question, topic, services) else "new"


def _finds_on_its_own(question: str, services: Services | None) -> bool:
    if services is None or services.retriever is None:
        return False
    hits = services.retriever.search(question)
    return bool(hits) and services.retriever.is_relevant(hits)


def _served_by_topic(question: str, topic: Topic, services: Services) -> bool:
    """The message finds nothing strong on its own, or joining it to the topic's question lifts its best
    passage by TOPIC_LIFT or more (see the module docstring)."""
    own = _best_score(question, services)
    if own < services.settings.retrieval_min_similarity:
        return True
    return _best_score(continued(question, topic.question), services) - own >= TOPIC_LIFT


def _best_score(text: str, services: Services) -> float:
    best = services.retriever.store.query(services.retriever.query_vector(text), k=1)
    return best[0].dense_score if best and best[0].dense_score is not None else -1.0


def continued(question: str, topic_question: str) -> str:
    """A follow-up about the same topic as one question: "What is a Skills Bootcamp? how long is it?"."""
    return f"{_bare(topic_question)} {_bare(question)}?"


def with_changes(question: str, old: dict[str, Any], new: dict[str, Any], message: str) -> str:
    """The topic's question with the filters the message names changed: the place and the level where the
    question wrote them, anything else added at the end ("... part-time")."""
    text = _bare(question)
    added: list[str] = []
    for key, value in new.items():
        before = old.get(key)
        if key == "near" and before and before.lower() in text.lower():
            text = _replace_once(text, str(before), str(value))
        elif key == "level" and LEVEL.search(text):
            text = LEVEL.sub(_level_words(value), text, count=1)
        elif key in PHRASES:
            added.append(PHRASES[key](value))
        else:
            return f"{text} {_bare(message)}?"  # a filter without a phrase of its own: keep the words
    return " ".join([text, *added]) + "?"


PHRASES = {
    "near": lambda v: f"near {v}",
    "level": lambda v: _level_words(v),
    "mode": lambda v: str(v),
    "subject": lambda v: str(v).replace("-", " "),
    "free_only": lambda v: "free",
    "radius_miles": lambda v: f"within {v:g} miles",
}


def _level_words(value: Any) -> str:
    return "entry level" if value == "entry" else f"level {value}"


def _replace_once(text: str, old: str, new: str) -> str:
    at = text.lower().find(old.lower())
    return text[:at] + new + text[at + len(old) :]


def _bare(text: str) -> str:
    return text.strip().rstrip(" ?.!")


def _topic_of_history(history: list[Turn]) -> Topic | None:
    """The topic of a conversation held as turns only (a caller without a session store)."""
    if not history:
        return None
    last = history[-1]
    filters = last.slots.get("course_filters") or read_message(last.question).filters
    tool_slots = (
        {k: v for k, v in last.slots.items() if k != "course_filters"} if "tool" in last.slots else {}
    )
    return Topic(last.question, last.route, dict(filters), tool_slots, list(last.pages))


def _ask_for_more(ctx: Context, said: Said, topic: Topic | None) -> None:
    """A reply that asks for what is missing, saying what can be done with what was given."""
    ctx.route = CLARIFY_ROUTE
    if said.filters:
        example = with_changes("courses", {}, said.filters, ctx.question)
        text = (
            f'What would you like to know? I can find courses, for example "{example}", or answer a '
            "question about apprenticeships, funding or training: please say a bit more."
        )
        ctx.follow_ups = [example]
    elif topic is not None:
        text = (
            f'Could you say a bit more? The last question was "{_bare(topic.question)}": ask what you '
            "would like to know about it, or ask something new."
        )
    else:
        text = (
            "Could you say a bit more? Ask a question about courses, apprenticeships, funding or training, "
            'for example "Are there part-time digital courses near me?"'
        )
    ctx.stop(Status.ANSWERED, text)
