#!/usr/bin/env bash
# Run the given command with a throw-away local PostgreSQL server, exported as CCHC_TEST_POSTGRES_URL,
# so the suite also exercises the scale-out database. Without PostgreSQL binaries the command runs alone.
set -u
initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
if [ -z "${CCHC_TEST_POSTGRES_URL:-}" ] && [ -n "$initdb" ]; then
  bindir=$(dirname "$initdb")
  dir=$(mktemp -d /tmp/cchc-pg.XXXXXX)
  port=$((20000 + RANDOM % 20000))
  as_pg=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U cchc -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
  "${as_pg[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U cchc cchc_test
  export CCHC_TEST_POSTGRES_URL="postgresql://cchc@127.0.0.1:$port/cchc_test"
  stop_pg() { "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null; rm -rf "$dir"; }
  trap stop_pg EXIT
  echo "PostgreSQL test server on port $port"
fi
"$@"
