"""Outgoing email: the outbox (exactly once), SMTP with retries, .eml files without SMTP."""
