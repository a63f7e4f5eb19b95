"""POST /v1/feedback: one "was this helpful?" vote (and an optional comment) per answer.

POST /v1/feedback {"answer_id": "a1b2c3", "helpful": false, "comment": "Nothing about Anytown"} -> 201
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.errors import BODY_ERRORS, documented
from connector.db import Database
from connector.feedback import ANSWER_ID_MAX_CHARS, COMMENT_MAX_CHARS, FeedbackStore
from connector.redact import redact_personal_data

# 503: the database cannot be reached (nothing was stored).
router = APIRouter(tags=["feedback"], responses={**BODY_ERRORS, **documented(503)})

AnswerId = Annotated[
    str, StringConstraints(min_length=1, max_length=ANSWER_ID_MAX_CHARS, pattern=r"^[A-Za-z0-9_.:-]+$")
]


class FeedbackIn(BaseModel):
    """What the widget sends; anything else in the body is refused."""

    model_config = ConfigDict(extra="forbid")

    answer_id: AnswerId
    helpful: bool = Field(strict=True)
    comment: str = Field(default="", max_length=COMMENT_MAX_CHARS)


class FeedbackOut(BaseModel):
    answer_id: str
    helpful: bool
    created_at: str


def feedback_store(request: Request) -> FeedbackStore:
    """One store per app, created on first use (the database is migrated then if it was not yet)."""
    store = getattr(request.app.state, "feedback_store", None)
    if store is None:
        store = FeedbackStore(Database.open(request.app.state.settings))
        request.app.state.feedback_store = store
    return store


@router.post("/v1/feedback", status_code=201, response_model=FeedbackOut)
async def post_feedback(body: FeedbackIn, request: Request) -> FeedbackOut:
    """Record the vote; it is committed before the 201 goes back."""
    store = feedback_store(request)
    # A comment is stored: no names or contact details (a marker may lengthen it, so cut to the limit).
    comment = redact_personal_data(body.comment.strip())[:COMMENT_MAX_CHARS]
    saved = await asyncio.to_thread(store.record, body.answer_id, body.helpful, comment)
    return FeedbackOut(answer_id=saved.answer_id, helpful=saved.helpful, created_at=saved.created_at)
