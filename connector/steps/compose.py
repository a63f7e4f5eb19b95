"""Compose step, extractive (the default; no language model): the few sentences from the top passages
that answer the question, verbatim, in reading order, each cited [n] to its source.

Sentences are scored by query-term overlap and by embedding similarity to the question (the embedder
is already loaded). Sentences that read like instructions to an assistant are never quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from connector.answer_types import asked_types, holds
from connector.answer_words import opening
from connector.context import Context, Source
from connector.lexical import tokenize
from connector.sentences import FIELD_LINE, TITLE_CASE_SHARE, capitalised_share, split_units
from connector.services import Services
from connector.steps.compose_framing import AUDIENCE_TERMS, LABELS, framing_sentence
from connector.steps.guard import looks_like_injection
from connector.steps.sentence_model import sentence_model
from connector.types import Hit
from connector.vector_cache import similarity

TOP_PASSAGES = 4
EMBED_CANDIDATES = 14
MAX_SENTENCES = 5
# Sentence scores are compared to this many decimal places (see `ranking`).
SCORE_DIGITS = 6
# A sentence must reach this score, and this share of the best sentence's score, to be used.
MIN_SCORE = 0.20
RELATIVE_SCORE = 0.5
# A sentence from another page than the best sentence's must come closer to it: a second page is quoted
# only when it adds something nearly as relevant, not to pad the answer.
OTHER_PAGE_RELATIVE_SCORE = 0.8
NEAR_DUPLICATE = 0.7
SNIPPET_CHARS = 300
# A line with no sentence punctuation whose words are mostly capitalised is a title or a link's text
# ("Electrical Installation Level 3 Advanced Diploma"): it names a thing but answers nothing.
TITLE_PUNCTUATION = re.compile(r"[.!?:;]")
# The first sentence names its page well enough when it has this share of the page title's words.
NAMED_SHARE = 0.6
# Sentence openings, from corpus/answering/words.yaml (which says why each list stays): a pointer elsewhere
# ("See the page on ...") says nothing by itself.
CROSS_REFERENCE = opening("cross_reference")
# Questions that ask for a figure, a date or a number: sentences with digits answer them.
ASKS_FOR_FIGURE = re.compile(
    r"\b(how (much|many|long|old|often|soon)|what (number|percentage|rate|age|amount|date|year)|when|"
    r"phone|ring|call|cost|costs|minimum|maximum|most|least|smallest|largest|range)\b",
    re.IGNORECASE,
)
FIGURE = re.compile(r"\d")
# A sentence opening with one of these leans on the sentence before it, which is then quoted too.
LEANS_BACK = opening("leans_back")
# A sentence opening with a connective continues an argument; it is quoted only after a better lead.
CONNECTIVE = opening("connective")
# Where a question asks a second thing ("Does it cost anything, and what grades does he need?"): a
# question mark, "and" or a comma before a word that opens a question.
PART_BREAK = re.compile(
    r"(?:\?\s*|,?\s+and\s+|,\s+)(?=(?:what|which|when|where|who|how|why|is|are|do|does|can|will|would)\b)",
    re.IGNORECASE,
)
# The parts of one question answered each on its own, at most (the first ones).
MAX_PARTS = 4
# The opening sentence of a worked example; the sentences right after it are its steps.
EXAMPLE = opening("worked_example")


@dataclass
class Candidate:
    hit_index: int
    position: int
    text: str
    tokens: frozenset[str]
    url: str = ""
    page_rank: int = 0  # 0 for the page of the best passage, 1 for the next page, ...
    shared: bool = False  # the same sentence is on other pages too (a site's stock text)
    # Words of the headings the sentence sits under ("Entry requirements"): they say what it is about.
    heading_tokens: frozenset[str] = frozenset()
    score: float = 0.0
    similarity: float = 0.0  # cosine to the question (the best of the asked and rewritten forms)
    step: bool = False  # a list item without its lead-in ("3. Advertise on ...")
    in_example: bool = False  # a step of a worked example, after the sentence that sets it up
    features: dict[str, float] = field(default_factory=dict)  # what the sentence model weighs

    @property
    def dependent(self) -> bool:
        """A step, a worked example's step or a sentence opening with a connective: penalised."""
        return bool(self.step or self.in_example or CONNECTIVE.match(self.text))

    @property
    def stands_alone(self) -> bool:
        """May open the answer: not dependent, and not leaning on the sentence before or an example."""
        return not (self.dependent or LEANS_BACK.match(self.text) or EXAMPLE.match(self.text))


def is_title(text: str) -> bool:
    """A heading or link text rather than a sentence."""
    return not TITLE_PUNCTUATION.search(text) and capitalised_share(text) >= TITLE_CASE_SHARE


def named(lead: Candidate, hits: list[Hit]) -> str:
    """ "<page name>: " before the answer when it comes from a web page whose name the first sentence does
    not say: "A beginner's course in the joinery workshop" needs "Carpentry and Joinery Level 1" to
    mean anything on its own. The name is the page's own title, without the site's name after a "|"."""
    chunk = hits[lead.hit_index].chunk
    name = chunk.title.split(" | ")[0].strip()
    if not name or not chunk.crawled:
        return ""
    words = set(tokenize(name))
    return "" if not words or len(words & lead.tokens) / len(words) >= NAMED_SHARE else f"{name}: "


def passages(ctx: Context) -> list[Hit]:
    """What the answer may quote: the top passages, then further sections of the best pages."""
    return ctx.hits[:TOP_PASSAGES] + ctx.page_hits


def candidates(hits: list[Hit]) -> list[Candidate]:
    """Sentences of the given passages, instruction-like ones left out."""
    found = []
    pages = list(dict.fromkeys(hit.chunk.url for hit in hits))
    for hit_index, hit in enumerate(hits):
        example = False
        headings = frozenset(tokenize(" ".join(hit.chunk.heading_path)))
        for position, (sentence, step) in enumerate(split_units(hit.chunk.text)):
            in_example, example = example, bool(EXAMPLE.match(sentence)) or (example and not step)
            if not (looks_like_injection(sentence) or CROSS_REFERENCE.match(sentence) or is_title(sentence)):
                tokens = frozenset(tokenize(sentence))
                found.append(
                    Candidate(
                        hit_index,
                        position,
                        sentence,
                        tokens,
                        hit.chunk.url,
                        pages.index(hit.chunk.url),
                        step=step,
                        in_example=in_example,
                        heading_tokens=headings,
                    )
                )
    _mark_shared(found, hits)
    return found


def _mark_shared(found: list[Candidate], hits: list[Hit]) -> None:
    """Mark sentences that several pages carry word for word (among these passages, or among all the
    retrieval's candidates): a site's stock description of a subject area repeated on each course page
    says nothing about the one course asked about."""
    pages: dict[str, set[str]] = {}
    for candidate in found:
        pages.setdefault(candidate.text, set()).add(candidate.url)
    for candidate in found:
        repeated = candidate.text in hits[candidate.hit_index].repeated
        candidate.shared = len(pages[candidate.text]) > 1 or repeated


def score(
    found: list[Candidate],
    query: str,
    audience: str | None,
    services: Services,
    asked: str = "",
    wanted: set[str] | None = None,
    hits: list[Hit] | None = None,
) -> list[Candidate]:
    """Score each sentence with the fitted sentence model (connector/steps/sentence_model.py): the
    features that cost nothing first, then similarity to the question for the EMBED_CANDIDATES best.

    For a follow-up, `asked` is what was actually typed ("what's the smallest amount I can borrow?"): its
    words and meaning count as much as the rewritten question's, so the answer is about the new part.
    """
    model = sentence_model()
    measure(found, query, audience, asked, wanted, hits)
    for candidate in found:
        candidate.score = model.score(candidate.features, without="similarity")
    shortlist = sorted(found, key=ranking)[:EMBED_CANDIDATES]
    if shortlist:
        add_similarity(shortlist, query, asked, services, hits)
        for candidate in shortlist:
            candidate.score = model.score(candidate.features)
    return sorted(shortlist, key=ranking)


def ranking(candidate: Candidate) -> tuple[float, int, int]:
    """Best score first; scores equal to SCORE_DIGITS places go in reading order (passage rank, then
    position). Similarities differ in their last bits from run to run (the matrix library does not keep
    its order of sums), so without rounding, near-tied sentences (a site's repeated text) swap places and
    the same question gets a different answer."""
    return (-round(candidate.score, SCORE_DIGITS), candidate.hit_index, candidate.position)


def measure(
    found: list[Candidate],
    query: str,
    audience: str | None,
    asked: str = "",
    wanted: set[str] | None = None,
    hits: list[Hit] | None = None,
) -> None:
    """Set each candidate's features, all but its similarity to the question."""
    query_terms = set(tokenize(asked)) or set(tokenize(query)) if asked else set(tokenize(query))
    focus = AUDIENCE_TERMS.get(audience or "", frozenset())
    wants_figure = bool(ASKS_FOR_FIGURE.search(query))
    wanted = asked_types(asked or query) if wanted is None else wanted
    for candidate in found:
        hit = hits[candidate.hit_index] if hits else None
        in_sentence, in_headings = _overlap(query_terms, candidate)
        candidate.features = {
            "overlap": in_sentence,
            "heading_overlap": in_headings,
            "best_page": float(candidate.page_rank == 0),
            "second_page": float(candidate.page_rank == 1),
            "early": 1 / (1 + candidate.position),
            "holds_kind": float(bool(wanted) and holds(wanted, candidate.text)),
            "figure": float(wants_figure and bool(FIGURE.search(candidate.text))),
            "dependent": float(candidate.dependent),
            "shared": float(candidate.shared),
            "echoes": float(_echoes(candidate.text, query_terms)),
            "passage_similarity": (hit.dense_score or 0.0) if hit else 0.0,
            "top_passage": float(candidate.hit_index < TOP_PASSAGES),
            "audience": float(bool(focus & candidate.tokens)),
        }


def add_similarity(
    chosen: list[Candidate], query: str, asked: str, services: Services, hits: list[Hit] | None = None
) -> None:
    """Each candidate's cosine to the question (the best of the rewritten and the typed forms). The
    sentences' vectors come from the index (embedded at ingest) when `hits`, their passages, are given."""
    retriever = services.retriever
    targets = [retriever.query_vector(text) for text in dict.fromkeys([query, asked]) if text]
    if hits:
        retriever.load_sentence_vectors([hits[n] for n in sorted({c.hit_index for c in chosen})])
    vectors = retriever.vectors.many([c.text for c in chosen])
    for candidate, vector in zip(chosen, vectors, strict=True):
        candidate.similarity = max(similarity(target, vector) for target in targets)
        candidate.features["similarity"] = candidate.similarity


def _echoes(text: str, query_terms: set[str]) -> bool:
    """A "Label: value" line whose value only repeats the question's words ("Campus: Anytown" for "and
    at Anytown?") tells the asker nothing new."""
    if not FIELD_LINE.match(text):
        return False
    value = set(tokenize(text.split(":", 1)[1]))
    return bool(value) and value <= query_terms


def _overlap(query_terms: set[str], candidate: Candidate) -> tuple[float, float]:
    """Shares of the question's terms in the sentence, and only in the headings it sits under."""
    if not query_terms:
        return 0.0, 0.0
    in_sentence = query_terms & candidate.tokens
    in_headings = (query_terms & candidate.heading_tokens) - in_sentence
    return len(in_sentence) / len(query_terms), len(in_headings) / len(query_terms)


def select(
    ranked: list[Candidate], found: list[Candidate], wanted: set[str] | None = None
) -> list[Candidate]:
    """The best few sentences, no near-duplicates, in reading order (passage rank, then position)."""
    chosen: list[Candidate] = []
    if not ranked:
        return chosen
    best = ranked[0]
    floor = max(MIN_SCORE, RELATIVE_SCORE * best.score)
    other_page_floor = max(floor, OTHER_PAGE_RELATIVE_SCORE * best.score)
    for candidate in ranked:
        if candidate.score < floor or len(chosen) == MAX_SENTENCES:
            break
        if candidate.url != best.url and candidate.score < other_page_floor:
            continue
        if not any(_similar(candidate, other) for other in chosen):
            chosen.append(candidate)
    # The shortlist first; then the other sentences (a "Course code: ..." line shares no word or meaning
    # with "is there an evening course?", so it is seldom shortlisted).
    shortlisted = {id(c) for c in ranked}
    rest = sorted((c for c in found if id(c) not in shortlisted), key=ranking)
    chosen += [c for c in _asked_for(ranked + rest, chosen, wanted or set()) if c not in chosen]
    chosen += [c for c in _leaned_on(chosen, found) if c not in chosen]
    return in_answer_order(chosen)


def question_parts(question: str) -> list[str]:
    """The things a question asks, one per part ("Does the T Level cost anything", "what grades does
    he need to get in"); a question asking one thing is one part."""
    parts: list[str] = []
    for part in (part.strip(" ?,.") for part in PART_BREAK.split(question)):
        if part and not tokenize(part) and parts:
            part = f"{parts[-1]} {part}"  # "... an evening course, and how much?": how much is the course
        if tokenize(part):
            parts.append(part)
    return parts


def parts_answered(
    chosen: list[Candidate], found: list[Candidate], ctx: Context, services: Services, quoted: list[Hit]
) -> list[Candidate]:
    """For each part of a question that asks two or more things, the sentence that best answers that
    part alone, from the pages the answer already quotes, when no chosen sentence is it: "does it cost
    anything, and what grades does he need?" gets the entry requirements as well as the fee."""
    parts = question_parts(ctx.question) if "follow_up" not in ctx.notes else []
    if len(parts) < 2:
        return []
    # Each part costs a scoring and an embedding: a message of many "and what ...?" is answered on its
    # first few, so a long one cannot make the answer slow.
    parts = parts[:MAX_PARTS]
    pages = {c.url for c in chosen}
    place = {(c.hit_index, c.position): c for c in found}
    added: list[Candidate] = []
    for part in parts:
        # Scored on copies: the features and scores of the whole question's sentences stay as they are.
        ranked = score([replace(c) for c in found], part, ctx.audience, services, hits=quoted)
        best = next((c for c in ranked if c.url in pages and c.score >= MIN_SCORE), None)
        original = place[(best.hit_index, best.position)] if best else None
        if original is not None and original not in chosen and original not in added:
            added.append(original)
    return added


def _asked_for(ranked: list[Candidate], chosen: list[Candidate], wanted: set[str]) -> list[Candidate]:
    """For each kind of fact asked for ("which evening", "how much") that no chosen sentence holds, the
    best sentence that does from the pages the answer already quotes, the main page first: a question
    with two parts gets both answered, and no new page is brought in for it."""
    pages = list(dict.fromkeys(c.url for c in chosen))
    added: list[Candidate] = []
    for kind in sorted(wanted):
        if any(holds({kind}, c.text) for c in chosen + added):
            continue
        found = next((c for page in pages for c in ranked if c.url == page and holds({kind}, c.text)), None)
        if found is not None:
            added.append(found)
    return added


def in_answer_order(chosen: list[Candidate]) -> list[Candidate]:
    """The best-scored sentence that stands alone first (the fitted score already weighs holding the kind
    of fact asked for), then the others in reading order (passage rank, then position), so a sentence
    stays after the one it leans on."""
    reading = sorted(chosen, key=lambda c: (c.hit_index, c.position))
    standalone = [c for c in chosen if c.stands_alone]
    if not standalone:
        return reading
    lead = min(standalone, key=ranking)
    return [lead, *[c for c in reading if c is not lead]]


def _leaned_on(chosen: list[Candidate], found: list[Candidate]) -> list[Candidate]:
    """The sentences that chosen ones lean on: the one before a "They", "It", "This"..., and the
    sentence that sets up a worked example for each of its steps."""
    by_place = {(c.hit_index, c.position): c for c in found}
    needed: list[Candidate | None] = []
    for candidate in chosen:
        if LEANS_BACK.match(candidate.text) or CONNECTIVE.match(candidate.text):
            needed += [
                by_place[key] for key in [(candidate.hit_index, candidate.position - 1)] if key in by_place
            ]
        if candidate.in_example:
            needed += [_example_premise(candidate, by_place)]
    return [c for c in needed if c is not None]


def _example_premise(step: Candidate, by_place: dict[tuple[int, int], Candidate]) -> Candidate | None:
    """The sentence that opens the worked example a step belongs to."""
    for position in range(step.position - 1, -1, -1):
        earlier = by_place.get((step.hit_index, position))
        if earlier is not None and not earlier.in_example:
            return earlier if EXAMPLE.match(earlier.text) else None
    return None


def _similar(a: Candidate, b: Candidate) -> bool:
    union = a.tokens | b.tokens
    return bool(union) and len(a.tokens & b.tokens) / len(union) >= NEAR_DUPLICATE


def cite(chosen: list[Candidate], hits: list[Hit]) -> tuple[list[str], list[Source]]:
    """Each sentence with its [n] marker, and the numbered sources in order of first use."""
    sources: list[Source] = []
    numbers: dict[str, int] = {}
    parts = []
    for candidate in chosen:
        chunk = hits[candidate.hit_index].chunk
        if chunk.url not in numbers:
            sources.append(Source(title=chunk.title, url=chunk.url, snippet=candidate.text[:SNIPPET_CHARS]))
            numbers[chunk.url] = len(sources)
        parts.append(f"{candidate.text} [{numbers[chunk.url]}]")
    return parts, sources


def suggest_follow_ups(hits: list[Hit], sources: list[Source]) -> list[str]:
    """Up to two related pages the answer did not use."""
    used = {source.url for source in sources}
    titles: list[str] = []
    for hit in hits:
        if hit.chunk.url not in used and hit.chunk.title and hit.chunk.title not in titles:
            titles.append(hit.chunk.title)
    return [f"Tell me about: {title}" for title in titles[:2]]


def run(ctx: Context, services: Services) -> None:
    """Set ctx.answer and ctx.sources from the retrieved passages (empty when no sentence fits)."""
    quoted = passages(ctx)
    found = candidates(quoted)
    asked = ctx.question if "follow_up" in ctx.notes else ""
    wanted = asked_types(asked or ctx.query)
    ranked = score(found, ctx.query, ctx.audience, services, asked, wanted, quoted)
    # How close the best sentence is in meaning, for the log line (a low figure flags a weak answer).
    ctx.notes.append(f"support={max((c.similarity for c in ranked), default=0.0):.2f}")
    chosen = select(ranked, found, wanted)
    more = parts_answered(chosen, found, ctx, services, quoted)
    chosen = in_answer_order(chosen + more) if more else chosen
    framing = framing_sentence(ranked, chosen, ctx.audience)
    parts, ctx.sources = cite(chosen + ([framing] if framing else []), quoted)
    if parts:
        parts[0] = named(chosen[0], quoted) + parts[0]
    if framing and ctx.audience:
        ctx.answer = " ".join(parts[:-1]) + f"\n\n{LABELS[ctx.audience]} {parts[-1]}"
    else:
        ctx.answer = " ".join(parts)
    ctx.follow_ups = suggest_follow_ups(ctx.hits, ctx.sources)
