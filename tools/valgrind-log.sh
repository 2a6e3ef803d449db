#!/usr/bin/env bash
# Reads a valgrind memcheck log of the test run and fails on any invalid read
# or write, invalid free, or use of an uninitialised value whose stack goes
# through gvcluster's code: a frame in one of the package's C files (built
# with -g, valgrind names them file.c:line) or in gvcluster.so. Errors inside
# R or system libraries that never touch gvcluster are counted, not failed.
# Usage: valgrind-log.sh LOG [SRC_DIR]
log="$1"
src="${2:-src}"
[ -f "$log" ] || { echo "valgrind log $log not found" >&2; exit 1; }
files=$(cd "$src" && ls *.c | sed 's/\.c$//' | paste -sd'|' -)
awk -v files="$files" '
  BEGIN { ours = "(\\((" files ")\\.c:[0-9]+\\)|gvcluster\\.so)" }
  /^==[0-9]+== *$/ { flush(); next }
  { blk = blk "\n" $0 }
  function flush() {
    if (blk ~ /(Invalid (read|write|free)|uninitialised|Mismatched free|overlap|Argument .* has a fishy)/) {
      if (blk ~ ours) { bad++; print "---- in gvcluster:" blk } else other++
    }
    blk = ""
  }
  END { flush()
        printf "valgrind: %d memory error(s) in gvcluster, %d elsewhere\n", bad, other
        exit (bad > 0) }
' "$log"
status=$?
grep -E 'ERROR SUMMARY|definitely lost' "$log" | tail -n 2
exit $status
