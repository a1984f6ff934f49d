"""The workspace store (SQLite by default, PostgreSQL by URL), through SQLAlchemy Core."""
