#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a real PostgreSQL server: a throwaway cluster on
# a local socket (no TCP port), started here and removed afterwards. `make test` runs the store
# and workbench tests this way; `make bench` the load test.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DIR=$(mktemp -d /tmp/zicht-pg.XXXXXX)
AS=()
if [ "$(id -u)" = 0 ]; then  # PostgreSQL refuses to run as root
  chown postgres "$DIR"
  AS=(runuser -u postgres --)
fi
"${AS[@]}" "$BIN/initdb" -D "$DIR/data" -A trust -U zicht -E UTF8 --no-sync >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-k $DIR -c listen_addresses='' -c fsync=off -c full_page_writes=off" start >/dev/null
trap '"${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null; rm -rf "$DIR"' EXIT
"${AS[@]}" "$BIN/createdb" -h "$DIR" -U zicht zicht
export DATABASE_URL="postgres://zicht@${DIR//\//%2F}/zicht"
"$@"
