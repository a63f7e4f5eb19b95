"""The product's own tables (questions, feedback, sessions, enquiries, outbox) behind one storage layer.

    database = Database.open(settings)      # SQLite under the data dir, or CONNECTOR_DATABASE_URL; migrated
    with database.begin() as conn:
        conn.execute(select(questions))

SQLAlchemy Core with Alembic migrations shipped in this package (connector/db/migrations/). To add a table:
declare it in tables.py, add a revision under migrations/versions/ that creates it, and the test
tests/test_db_migrations.py checks the two agree on SQLite and PostgreSQL.
"""

from connector.db.engine import Database, database_url, may_hold_data

__all__ = ["Database", "database_url", "may_hold_data"]
