"""A plain psycopg2 connection to the database Django is configured for, for benchmark code
that must run its SQL without the ORM in between."""

import psycopg2
from django.conf import settings


def connect():
    db = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or 5432,
    )
