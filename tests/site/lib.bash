# Shared helpers for the site tests (sourced, not run).
set -euo pipefail
: "${NEWSPRINT:?set NEWSPRINT to the binary}" "${NP_SOURCE_DIR:?}"
PYTHON=${PYTHON:-python3}
TOOLS=$NP_SOURCE_DIR/tests/site
TMP=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# sample_site DIR: a copy of the repository's sample site (raw pages,
# config, theme and templates).
sample_site() {
	mkdir -p "$1/content"
	cp -r "$NP_SOURCE_DIR/site.yaml" "$NP_SOURCE_DIR/themes" "$1/"
	cp -r "$NP_SOURCE_DIR/content/issues" "$1/content/"
	[ -d "$NP_SOURCE_DIR/templates" ] && cp -r "$NP_SOURCE_DIR/templates" "$1/"
	[ -f "$NP_SOURCE_DIR/content/events.yaml" ] && cp "$NP_SOURCE_DIR/content/events.yaml" "$1/content/"
	return 0
}

# built_site DIR: a copy of the sample site, built; fails the test on a
# non-zero exit.
built_site() {
	sample_site "$1"
	"$NEWSPRINT" build --site "$1" --quiet || fail "newsprint build exited $?"
}
