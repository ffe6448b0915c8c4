"""WSGI entry point for gunicorn: ``gunicorn -w 4 -b 127.0.0.1:8000 wsgi:app``.

Web workers never start the scheduler; that is the separate ``crm scheduler`` process.
"""

from crm import create_app

app = create_app()
