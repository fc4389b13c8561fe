#!/usr/bin/env bash
# A second build with nothing changed rewrites nothing: records and output keep bytes and mtime;
# a removed article takes its output page with it.
. "$(dirname "$0")/lib.bash"
S=$TMP/site
sample_site "$S"
"$NEWSPRINT" build --site "$S" --quiet || fail "first build exited $?"
before=$(snapshot "$S/content"; snapshot "$S/public")
sleep 1
"$NEWSPRINT" build --site "$S" --quiet || fail "second build exited $?"
after=$(snapshot "$S/content"; snapshot "$S/public")
[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") | head; fail "no-op build changed files"; }
echo "no-op rebuild: nothing rewritten"
