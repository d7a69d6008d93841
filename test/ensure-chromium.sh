#!/usr/bin/env bash
# Run before the tests (npm's pretest, hence also by .ci/run): the HTML report test drives
# Debian's chromium. When it is absent and this is a Debian machine we may install on (root with
# apt-get), install it; otherwise say what the browser test needs. Never fails by itself.
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "protocheck tests: installing Debian's chromium for the HTML report test (apt-get install chromium)" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
    || echo "protocheck tests: could not install chromium; the HTML report test will fail" >&2
else
  echo "protocheck tests: /usr/bin/chromium is missing; install Debian's chromium for the HTML report test" >&2
fi
exit 0
