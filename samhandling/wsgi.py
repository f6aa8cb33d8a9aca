import os

from django.core.wsgi import get_wsgi_application

from samhandling.core import collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samhandling.settings")
application = get_wsgi_application()
collector.for_serving()
