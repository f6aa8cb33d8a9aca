#!/bin/sh
# Installs the Debian packages `make test` and `make run` need when any is missing: apt-get as root,
# otherwise prints the one command to run and fails. Usage: scripts/system-packages.sh run|test|bench
#   run:  WeasyPrint's Pango and fonts (PDF minutes and reports), gettext (translations), Node.js and npm
#         (`make setup` runs `npm ci` for axe-core)
#   test: the same, plus Chromium and its driver (browser tests), poppler-utils, and redis-server (the shared
#         cache's Redis path, CACHE_URL=redis://…)
#   bench: the run's, plus wrk (the load bench) and the PostgreSQL server (the benches' second engine)
set -eu
purpose=${1:-test}

need=""
has_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
want() { for p in "$@"; do has_pkg "$p" || need="$need $p"; done; }
# A tool counts as present when its command is (e.g. Node.js installed from elsewhere brings its own npm).
want_cmd() { command -v "$1" >/dev/null 2>&1 || want "$2"; }

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-packages: not a Debian system; install by hand: Pango, DejaVu fonts, gettext, Node.js/npm$([ "$purpose" = test ] && echo ', Chromium, poppler-utils, redis-server')$([ "$purpose" = bench ] && echo ', wrk, PostgreSQL')." >&2
  exit 0
fi

want fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0
want_cmd msgfmt gettext
want_cmd node nodejs
want_cmd npm npm
if [ "$purpose" = test ]; then
  want_cmd chromium chromium
  want_cmd chromedriver chromium-driver
  want_cmd pdftotext poppler-utils
  want_cmd redis-server redis-server
fi
if [ "$purpose" = bench ]; then
  want_cmd wrk wrk
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || want postgresql
fi
[ -z "$need" ] && exit 0

if [ "$(id -u)" = 0 ]; then
  echo "system-packages: installing$need"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $need >/dev/null
else
  echo "system-packages: missing Debian packages. Run, then try again:" >&2
  echo "  sudo apt-get install -y$need" >&2
  exit 1
fi
