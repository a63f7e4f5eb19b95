"""When each configured source was last ingested (for `connector ingest --due`).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from connector.db.types import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_ingests",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("last_started_at", UtcDateTime),
        sa.Column("last_success_at", UtcDateTime),
        sa.Column("last_error", sa.Text),
        sa.PrimaryKeyConstraint("name", name="pk_source_ingests"),
    )


def downgrade() -> None:
    op.drop_table("source_ingests")
