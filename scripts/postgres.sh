#!/usr/bin/env bash
# `npm run postgres`: a real PostgreSQL server on 127.0.0.1, in the foreground, from Debian's packages
# (installed with apt-get the first time when run as root). User `postgres` is trusted on loopback.
#   POSTGRES_PORT  TCP port (default 5432)      POSTGRES_DATA  data folder (default pg/data)
#   --install-only  install the server when missing, and exit
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

server_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

bin="$(server_bin)"
if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "postgres: installing Debian's postgresql package..." >&2
    # Debian's package would also create and start a cluster of its own; this script runs its own.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 || {
      apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    }
    bin="$(server_bin)"
  fi
  if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
    echo "postgres: no PostgreSQL server found; install Debian's package: sudo apt-get install postgresql" >&2
    exit 1
  fi
fi
[ "${1:-}" = "--install-only" ] && exit 0

data="${POSTGRES_DATA:-$root/pg/data}"
port="${POSTGRES_PORT:-5432}"
mkdir -p "$data"
data="$(cd "$data" && pwd)"

# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user the package made.
as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres: "$data"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ ! -s "$data/PG_VERSION" ]; then
  echo "postgres: creating a cluster in $data" >&2
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -w "$data"; then
    chown postgres: "$data"
    if ! runuser -u postgres -- test -w "$data"; then
      echo "postgres: user postgres cannot reach $data; choose a folder whose parents others may enter" >&2
      exit 1
    fi
  fi
  as_server_user "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
fi

echo "postgres: listening on 127.0.0.1:$port (user postgres, no password), data in $data" >&2
# No Unix socket: the data folder's path may be longer than a socket path can be, and clients use TCP.
# exec, so the server itself gets the signals the caller sends (Ctrl-C, SIGTERM stop it cleanly).
server=("$bin/postgres" -D "$data" -p "$port" -c listen_addresses=127.0.0.1 -c unix_socket_directories='')
if [ "$(id -u)" = 0 ]; then
  chown -R postgres: "$data"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${server[@]}"
fi
exec "${server[@]}"
