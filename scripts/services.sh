#!/usr/bin/env bash
# Starts the local services the integration tests talk to, each only when it is not already up:
# PostgreSQL on 127.0.0.1:5432 (user postgres without a password, database `test`), Redis on
# 6379 and RabbitMQ on 5672. `scripts/setup.sh --test` installs them. Starting one that is down
# needs root or sudo.
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

if ! port_open 5432; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$version" ]; then  # installed with create_main_cluster=false, or the cluster was dropped
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    as_root pg_createcluster "$version" main
  fi
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  # the tests connect as postgres over TCP without a password; first matching line wins
  if ! as_root grep -q "^host all postgres 127.0.0.1/32 trust" "$hba"; then
    as_root sed -i -e '1i host all postgres ::1/128 trust' -e '1i host all postgres 127.0.0.1/32 trust' "$hba"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  as_postgres psql -qtAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 \
    || as_postgres createdb test
fi
if ! port_open 6379; then
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
if ! port_open 5672; then
  as_root rabbitmq-server -detached
fi
for _ in $(seq 1 90); do
  if port_open 5432 && port_open 6379 && port_open 5672; then exit 0; fi
  sleep 1
done
for port in 5432 6379 5672; do port_open $port || echo "services: nothing answers on 127.0.0.1:$port" >&2; done
exit 1
