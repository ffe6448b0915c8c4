"""WSGI entry point for gunicorn: ``gunicorn -c gunicorn.conf.py wsgi:app`` (see gunicorn.conf.py and README).

Web workers never start the scheduler; that is the separate ``crm scheduler`` process.
"""

from crm import create_app

app = create_app(web_server=True)
