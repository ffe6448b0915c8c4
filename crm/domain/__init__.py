"""Pure domain rules: only the standard library and a few text helpers, never Flask or SQLAlchemy."""
