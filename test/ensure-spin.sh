#!/usr/bin/env bash
# Run before the tests (npm's pretest, hence also by .ci/run): the SPIN differential test
# (test/engine/semantics-spin.test.ts) needs Debian's spin and a C compiler. When spin is absent
# and this is a Debian machine we may install on (root with apt-get), install it; otherwise say
# what the test needs (it is then skipped, saying why). Never fails by itself.
command -v spin >/dev/null 2>&1 && command -v gcc >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "protocheck tests: installing Debian's spin and gcc for the SPIN differential test (apt-get install spin gcc)" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq spin gcc) >/dev/null 2>&1 \
    || echo "protocheck tests: could not install spin; the SPIN differential test will be skipped" >&2
else
  echo "protocheck tests: spin or gcc is missing; install Debian's spin and gcc for the SPIN differential test (it is skipped meanwhile)" >&2
fi
exit 0
