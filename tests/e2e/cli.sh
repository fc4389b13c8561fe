#!/usr/bin/env bash
# The command line: help, version, usage errors (exit 2), input errors (exit 1, compiler-style).
. "$(dirname "$0")/lib.bash"
"$NEWSPRINT" --help | grep -q '^usage: newsprint' || fail "--help"
"$NEWSPRINT" --version | grep -Eq '^newsprint [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"
"$NEWSPRINT" help build | grep -q -- '--out DIR' || fail "help build"
"$NEWSPRINT" help ingest | grep -q -- '--site DIR' || fail "help ingest"
set +e
"$NEWSPRINT" >/dev/null 2>&1; [ $? = 2 ] || fail "no command should exit 2"
"$NEWSPRINT" frobnicate 2>"$TMP/err"; [ $? = 2 ] || fail "unknown command should exit 2"
grep -q "unknown command 'frobnicate'" "$TMP/err" || fail "unknown command message"
"$NEWSPRINT" build --bogus 2>"$TMP/err"; [ $? = 2 ] || fail "unknown option should exit 2"
grep -q "unknown option or argument '--bogus'" "$TMP/err" || fail "unknown option message"
"$NEWSPRINT" build --threads 0 2>/dev/null; [ $? = 2 ] || fail "--threads 0 should exit 2"
"$NEWSPRINT" help nosuch 2>/dev/null; [ $? = 2 ] || fail "help nosuch should exit 2"
set -e
# A broken record: exit 1, a compiler-style diagnostic, and everything else still built.
S=$TMP/site
sample_site "$S"
"$NEWSPRINT" ingest --site "$S" --quiet || fail "ingest exited $?"
mkdir -p "$S/content/articles/2022-08-30"
printf -- '---\nid: broken\ntitle: [unclosed\n---\nbody\n' >"$S/content/articles/2022-08-30/broken.md"
set +e
"$NEWSPRINT" build --site "$S" --quiet 2>"$TMP/err"; rc=$?
set -e
[ $rc = 1 ] || fail "a broken record should make build exit 1 (got $rc)"
grep -Eq '^content/articles/2022-08-30/broken\.md:[0-9]+:[0-9]+: error: ' "$TMP/err" ||
	{ cat "$TMP/err"; fail "diagnostic not compiler-style"; }
[ -f "$S/public/index.html" ] || fail "the rest of the site was not built"
echo "cli ok"
