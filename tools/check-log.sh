#!/usr/bin/env bash
# Reads an R CMD check log: prints every WARNING, ERROR and NOTE, and fails
# when there is any ERROR or WARNING.
log="$1"
if [ ! -f "$log" ]; then echo "check log $log not found" >&2; exit 1; fi
# A finding is either at the end of its check's line or, when the check
# printed progress first, alone on the next line.
grep -nE '(\.\.\. |^ )(ERROR|WARNING|NOTE)$' "$log" || true
tail -n 3 "$log"
if grep -qE '(\.\.\. |^ )(ERROR|WARNING)$' "$log" ||
   grep -qE '^Status: .*(ERROR|WARNING)' "$log"; then
  echo "R CMD check reported an ERROR or WARNING" >&2
  for f in "$(dirname "$log")"/tests/*.Rout.fail; do [ -f "$f" ] && tail -n 60 "$f"; done
  exit 1
fi
grep -q '^Status: ' "$log" || { echo "R CMD check did not finish" >&2; exit 1; }
exit 0
