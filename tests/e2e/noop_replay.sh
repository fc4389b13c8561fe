#!/usr/bin/env bash
# The no-op build is reached after builds with warnings and errors, and says exactly what a full
# build would say: the same diagnostics, in the same order, and the same exit status.  A change
# to any input, or to the output folder's top, is never taken for "nothing changed"; with
# --verify, neither is a change to any output.
. "$(dirname "$0")/lib.bash"

# build SITE TAG: runs a build; $TMP/TAG.diag gets its diagnostics (stderr without progress
# lines), $TMP/TAG.rc its exit status, $TMP/TAG.log all of stderr.
build() {
	local rc=0
	"$NEWSPRINT" build --site "$1" ${VERIFY:+--verify} 2>"$TMP/$2.log" || rc=$?
	echo "$rc" >"$TMP/$2.rc"
	grep -E '^[^ ].*: (error|warning|note): |^    |^newsprint: ' "$TMP/$2.log" >"$TMP/$2.diag" || true
}
fast() { grep -q '^nothing changed since the last build' "$TMP/$1.log"; }
# same A B: builds A and B said the same and exited the same.
same() {
	diff "$TMP/$1.diag" "$TMP/$2.diag" >&2 || fail "$2 printed other diagnostics than $1"
	[ "$(cat "$TMP/$1.rc")" = "$(cat "$TMP/$2.rc")" ] ||
		fail "$2 exited $(cat "$TMP/$2.rc"), $1 exited $(cat "$TMP/$1.rc")"
}
# full SITE TAG: a build from the same state without the stamp: what a full build says.
full() { rm -f "$1/.newsprint/build-stamp"; build "$1" "$2"; ! fast "$2" || fail "$2 was not a full build"; }

S=$TMP/site
sample_site "$S"
chmod -R u+w "$S"
# Warnings of two kinds: one ingest repeats on every build (an undated page) and ones of the
# build proper (a typo in site.yaml, reported by the site model).
mkdir -p "$S/content/issues/inbox"
cp "$NP_SOURCE_DIR/content/issues/2022-08-23/07.txt" "$S/content/issues/inbox/scan.txt"
sed -i 's/^base_url:/base_ulr:/' "$S/site.yaml"

build "$S" b1
[ "$(cat "$TMP/b1.rc")" = 0 ] || { cat "$TMP/b1.log"; fail "first build exited $(cat "$TMP/b1.rc")"; }
grep -q "warning: no issue date" "$TMP/b1.diag" || fail "no ingest warning in the first build"
grep -q "warning: unknown key 'base_ulr'" "$TMP/b1.diag" || fail "no site.yaml warning"

# The first build parsed pages: the next one runs ingest (to learn what it says now) but not
# the build proper, and says what a full build says.
build "$S" b2
fast b2 || { cat "$TMP/b2.log"; fail "second build did not take the fast path"; }
before=$(snapshot "$S/public")
build "$S" b3
fast b3 || { cat "$TMP/b3.log"; fail "third build did not take the fast path"; }
grep -q "warning: no issue date" "$TMP/b3.diag" || { cat "$TMP/b3.log"; fail "warning not repeated"; }
grep -q "warning: unknown key 'base_ulr'" "$TMP/b3.diag" || fail "site.yaml warning not repeated"
full "$S" f3
same f3 b2
same f3 b3
build "$S" b4
fast b4 || fail "the build after a full one without changes was not a no-op"
same f3 b4
[ "$before" = "$(snapshot "$S/public")" ] || fail "no-op builds changed the output"

# A warning ingest gives once (a raw page gone) is not repeated by the next build, fast or not.
mv "$S/content/issues/inbox/scan.txt" "$TMP/scan.txt"
build "$S" g1
grep -q "warning: this raw page is gone" "$TMP/g1.diag" || { cat "$TMP/g1.log"; fail "no warning for a page gone"; }
build "$S" g2
fast g2 || { cat "$TMP/g2.log"; fail "no fast path after a page was removed"; }
full "$S" gf
same gf g2
! grep -q "this raw page is gone" "$TMP/g2.diag" || fail "a once-only warning was replayed"
mv "$TMP/scan.txt" "$S/content/issues/inbox/scan.txt"
build "$S" g3
build "$S" g4
fast g4 || fail "no fast path after the page came back"

# An error is repeated, with exit status 1, until it is fixed.
mkdir -p "$S/templates"
printf '{%% extends "base.html" %%}\n{%% block content %%}\n<h1>{{ article.title | nosuch }}</h1>\n{%% endblock %%}\n' \
	>"$S/templates/article.html"
build "$S" e1
! fast e1 || fail "a new template was not noticed"
[ "$(cat "$TMP/e1.rc")" = 1 ] || { cat "$TMP/e1.log"; fail "a template error should exit 1"; }
build "$S" e2
fast e2 || { cat "$TMP/e2.log"; fail "a build with an error was not skipped the second time"; }
grep -q "error: unknown filter 'nosuch'" "$TMP/e2.diag" || { cat "$TMP/e2.log"; fail "error not repeated"; }
full "$S" ef
same ef e1
same ef e2
build "$S" e3
fast e3 || fail "no fast path after a full build with an error"
same ef e3
rm "$S/templates/article.html"
build "$S" e4
! fast e4 || fail "a removed template was not noticed"
[ "$(cat "$TMP/e4.rc")" = 0 ] || { cat "$TMP/e4.log"; fail "the fixed site should build (exit $(cat "$TMP/e4.rc"))"; }

# Every kind of change is noticed.
build "$S" c0
build "$S" c0
fast c0 || fail "not settled before the change tests"
# changed WHAT: the next build must not be a no-op.
changed() {
	build "$S" c
	! fast c || fail "the build after $1 was taken for a no-op"
	build "$S" c
	fast c || fail "no fast path again after $1"
}
rec=$(find "$S/content/articles" -name '*.md' | sort | sed -n 1p)
# an edit that keeps size and mtime
stamp=$(stat -c %y "$rec")
sed -i '0,/^title: \(.\)/s//title: X/' "$rec"
touch -d "$stamp" "$rec"
changed "a record edited in place, mtime restored"
touch "$S/content/articles/new.md"
changed "a file added"
rm "$S/content/articles/new.md"
changed "a file removed"
echo "# nothing" >>"$S/content/issues/inbox/scan.txt"
changed "a raw page edited"
echo "" >>"$S/themes/default/templates/base.html"
changed "a theme template edited"
# The output folder is trusted after a complete build (build/stamp.h): a file deep in it
# deleted or edited by hand goes unseen by a plain build, and --verify repairs it.
out=$(find "$S/public/articles" -name 'index.html' | sort | sed -n 1p)
rm "$out"
build "$S" t
fast t || { cat "$TMP/t.log"; fail "the build after a deep output was deleted did not trust the folder"; }
[ ! -e "$out" ] || fail "a no-op build wrote a file"
VERIFY=1 changed "an output deleted (--verify)"
[ -f "$out" ] || fail "the deleted output was not written again"
echo "<!-- edited -->" >>"$out"
VERIFY=1 changed "an output edited (--verify)"
grep -q -- '<!-- edited -->' "$out" && fail "the edited output was not repaired"
# What a plain build sees: the top of the folder changed.
rm "$S/public/index.html"
changed "the home page deleted"
[ -f "$S/public/index.html" ] || fail "the deleted home page was not written again"
rm -rf "$(dirname "$out")"
changed "an article's output folder deleted"
[ -f "$out" ] || fail "the article's page was not written again"
mv "$S/public/articles" "$TMP/articles" && cp -a "$TMP/articles" "$S/public/articles" && rm -rf "$TMP/articles"
changed "an output folder replaced by a copy"
rm -rf "$S/public"
changed "the output folder deleted"
[ -f "$out" ] || fail "the output folder was not built again"
rm "$S/.newsprint/ingest.tsv"
changed "the ingest cache deleted"
echo "no-op builds replay diagnostics and exit status; changes are noticed"
