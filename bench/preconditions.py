"""What `make bench` needs on this machine: PostgreSQL, Redis and wrk, each said plainly."""

import shutil
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql

START_POSTGRES = (
    "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
)
START_REDIS = (
    'start it with: redis-server --daemonize yes --bind 127.0.0.1 --port {port} --save "" '
    "--appendonly no"
)


def server_url(database_url):
    """The URL of the server's own ``postgres`` database, from which databases are made."""
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/postgres"))


def database_name(database_url):
    return urlsplit(database_url).path.lstrip("/")


def postgres_problem(database_url):
    try:
        psycopg.connect(server_url(database_url), connect_timeout=3).close()
    except psycopg.Error as error:
        where = urlsplit(database_url).netloc.rpartition("@")[2]
        reason = str(error).strip().splitlines()[0]
        return f"PostgreSQL does not answer at {where} ({reason}); {START_POSTGRES}"
    return None


def redis_problem(redis_url):
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as error:
        address = urlsplit(redis_url)
        start = START_REDIS.format(port=address.port or 6379)
        return f"Redis does not answer at {address.netloc} ({error}); {start}"
    return None


def wrk_problem():
    if shutil.which("wrk"):
        return None
    return "wrk is not installed (it drives the load); install it with: apt-get install wrk"


def problems(database_url, redis_url):
    """What is missing, each with how to start or install it; empty when all is there."""
    found = [postgres_problem(database_url), redis_problem(redis_url), wrk_problem()]
    return [problem for problem in found if problem]


def ensure_database(database_url):
    """Create the bench's database if it is not there yet; True if it was made."""
    name = database_name(database_url)
    with psycopg.connect(server_url(database_url), autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def drop_database(database_url):
    name = database_name(database_url)
    with psycopg.connect(server_url(database_url), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# Any number, the same in every process ("bench" in ASCII).
SMOKE_LOCK = int.from_bytes(b"bench", "big")


def hold_smoke_lock(database_url):
    """Wait until no other smoke run uses the smoke database, and keep it until the
    returned connection is closed (two test runs on one machine take turns)."""
    connection = psycopg.connect(server_url(database_url), autocommit=True)
    connection.execute("SELECT pg_advisory_lock(%s)", [SMOKE_LOCK])
    return connection
