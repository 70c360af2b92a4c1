#!/usr/bin/env bash
# The production profile's services on this machine: PostgreSQL, Redis, RabbitMQ and nginx,
# installed from Debian's packages where absent and started where stopped (loopback only).
# Used by `make run-production`, `make loadtest` and CI (.ci/run). Never fails the caller:
# a service that cannot be started is reported, and the tests that need it say they skipped.
set -uo pipefail

apt_install() {
  command -v apt-get >/dev/null || { echo "không có apt-get để cài $*" >&2; return 1; }
  if [ -z "${_APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null 2>&1 || true; _APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

wait_for() {  # name, command
  for _ in $(seq 1 30); do eval "$2" >/dev/null 2>&1 && { echo "$1: chạy"; return 0; }; sleep 1; done
  echo "$1: KHÔNG chạy được" >&2
  return 1
}

postgresql() {
  command -v pg_isready >/dev/null || apt_install postgresql
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    for version in $(ls /etc/postgresql 2>/dev/null); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    done
  fi
  wait_for PostgreSQL "pg_isready -h 127.0.0.1 -p 5432 -q"
}

redis() {
  command -v redis-server >/dev/null || apt_install redis-server
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 || true
  fi
  wait_for Redis "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG"
}

rabbitmq() {
  command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
  if ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
    rabbitmq-server -detached >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 60); do rabbitmq-diagnostics -q ping >/dev/null 2>&1 && { echo "RabbitMQ: chạy"; return 0; }; sleep 1; done
  echo "RabbitMQ: KHÔNG chạy được" >&2
  return 1
}

nginx_package() {
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx
  if [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null; then echo "nginx: có"; else echo "nginx: KHÔNG cài được" >&2; fi
}

postgresql || true
redis || true
rabbitmq || true
nginx_package || true
exit 0
