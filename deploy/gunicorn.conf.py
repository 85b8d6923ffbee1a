"""gunicorn settings for a web host: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`."""

import multiprocessing
import os

# Behind the reverse proxy on the same host (deploy/nginx/evl.conf); never exposed directly.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# gthread: a streaming audit export holds a thread, not the whole worker.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 8))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
# Only the local proxy may set X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER trusts it).
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
errorlog = "-"
