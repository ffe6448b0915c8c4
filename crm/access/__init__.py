"""Access core: the scope every ORM query runs under, and single-object checks.

The rules themselves are pure and live in ``crm.domain.access``; this package
applies them to the database session and to requests.
"""
