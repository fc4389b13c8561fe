#!/usr/bin/env bash
# Output (records, page records and the whole site) is byte-for-byte the same whatever the number
# of threads.
. "$(dirname "$0")/lib.bash"
for t in 1 2 4; do
	sample_site "$TMP/t$t"
	"$NEWSPRINT" build --site "$TMP/t$t" --quiet --threads "$t" || fail "build with $t threads exited $?"
done
for t in 2 4; do
	diff -r "$TMP/t1/content" "$TMP/t$t/content" >/dev/null || fail "records differ between 1 and $t threads"
	diff -r "$TMP/t1/public" "$TMP/t$t/public" >/dev/null ||
		{ diff -r "$TMP/t1/public" "$TMP/t$t/public" | head -5; fail "output differs between 1 and $t threads"; }
done
echo "1, 2 and 4 threads give identical records and output"
