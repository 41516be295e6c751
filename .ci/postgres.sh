# Sourced by .ci/run: a throwaway PostgreSQL server for the store tests. CI machines start
# without one, so it is installed when missing, runs from a temporary directory as the
# postgres user (initdb refuses root), listens on 127.0.0.1 only, and goes away on exit.
# Defines pg_start (exports SPARRING_TEST_DATABASE_URL) and pg_stop.

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "postgres: installing the server (apt-get)" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

pg_start() {
  local bin port
  bin=$(pg_bin)
  # The postgres user may not be able to read the checkout; it never needs to.
  pushd / >/dev/null
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  PG_DIR=$(mktemp -d /tmp/sparring-pg.XXXXXX)
  chown postgres "$PG_DIR"
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  runuser -u postgres -- "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
  # Durability is not under test here; fsync off keeps the suite fast on a small machine.
  runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 start \
    -o "-h 127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
  runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres sparring_test
  popd >/dev/null
  export SPARRING_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/sparring_test"
  echo "postgres: $("$bin/postgres" --version) on 127.0.0.1:$port ($PG_DIR)"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  (cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1) || true
  rm -rf "$PG_DIR"
  PG_DIR=
}
