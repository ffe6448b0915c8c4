"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app`` (README, "Production deployment").

Every setting can be changed from the environment, so one file serves a county on one small machine and a
city on several app servers. Web workers never run scheduled jobs: that is the one ``crm scheduler`` process.
"""

from __future__ import annotations

import os

bind = os.environ.get("CRM_BIND", "127.0.0.1:8000")

# Two processes per core is gunicorn's usual advice; each runs a few threads, so that a request waiting on
# PostgreSQL does not hold a whole process idle. Python runs one thread at a time per process, so more threads
# than this only queue.
workers = int(os.environ.get("CRM_WEB_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("CRM_WEB_THREADS", "4"))

# A request is cut off after this long (a runaway report); PostgreSQL's own statement_timeout for web
# requests (CRM_WEB_STATEMENT_TIMEOUT_MS, 30 s) stops the query behind it first.
timeout = int(os.environ.get("CRM_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5

# Recycle a worker now and then, so that memory a long-running process fragments is given back.
max_requests = 5000
max_requests_jitter = 500

accesslog = os.environ.get("CRM_ACCESS_LOG", "-")
errorlog = "-"
# The client's address as nginx saw it, and the time taken, in microseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(D)sus'
forwarded_allow_ips = os.environ.get("CRM_FORWARDED_ALLOW_IPS", "127.0.0.1")
