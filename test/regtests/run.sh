#!/usr/bin/env bash
# HAProxy's regression tests that Portier passes, run by `npm run regtests` (and so by CI).
# The driver takes one list file: the stage lists of ../shared/regtests done so far are merged
# into one, and our own .vtc files (test/vtc/) are given explicitly.
set -euo pipefail
cd "$(dirname "$0")/../.."
list=$(mktemp /tmp/portier-regtests.XXXXXX)
trap 'rm -f "$list"' EXIT
cat ../shared/regtests/lists/foundation.txt ../shared/regtests/lists/layer4.txt ../shared/regtests/lists/checks.txt >"$list"
REGTESTS_TIMEOUT=30 bash ../shared/regtests/regtests-run.sh bin/portier "$list" "$PWD"/test/vtc/*.vtc -j 2
