"""Exit 0 when the PostgreSQL server in DATABASE_URL answers, 1 otherwise (used by `make test`)."""

import socket
import sys
from urllib.parse import urlparse


def main() -> int:
    url = urlparse(sys.argv[1])
    if url.scheme not in {"postgres", "postgresql"}:
        return 1
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 5432), timeout=2):
            return 0
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
