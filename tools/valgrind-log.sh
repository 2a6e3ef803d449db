#!/usr/bin/env bash
# Reads a valgrind memcheck log of the test run and fails on any invalid read
# or write, invalid free, or use of an uninitialised value whose stack goes
# through gvcluster's shared object. Errors inside R or system libraries that
# never touch gvcluster are listed but do not fail the run.
log="$1"
[ -f "$log" ] || { echo "valgrind log $log not found" >&2; exit 1; }
awk '
  /^==[0-9]+== *$/ { if (blk != "") flush(); blk = ""; next }
  { blk = blk "\n" $0 }
  function flush() {
    if (blk ~ /(Invalid (read|write|free)|uninitialised|Mismatched free|overlap)/) {
      if (blk ~ /gvcluster\.so/) { bad++; print "---- gvcluster:" blk } else other++
    }
  }
  END { if (blk != "") flush();
        printf "valgrind: %d error block(s) in gvcluster, %d elsewhere\n", bad, other
        exit (bad > 0) }
' "$log"
grep -E 'ERROR SUMMARY|definitely lost' "$log" | tail -n 2
