# Helpers for the bad-input end-to-end scripts (sourced after lib.bash).
# The standard they check: bad input gets a clear compiler-style message
# naming file, line and column, the rest of the work goes on, nothing a
# user wrote is lost or overwritten, and nothing is written outside the
# output folder.

# np_run RCVAR ERRFILE ARGS...: runs newsprint, stores its exit status in
# RCVAR and its standard error in ERRFILE; fails on a crash (status above
# 2 or a sanitizer report), since every outcome of bad input is 0, 1 or 2.
np_run() {
	local __rcvar=$1 __err=$2 __rc
	shift 2
	set +e
	"$NEWSPRINT" "$@" 2>"$__err"
	__rc=$?
	set -e
	if [ "$__rc" -gt 2 ] || grep -Eq 'Sanitizer|runtime error:|Segmentation|Aborted' "$__err"; then
		cat "$__err" >&2
		fail "newsprint $* crashed (exit $__rc)"
	fi
	printf -v "$__rcvar" '%s' "$__rc"
}

# expect_diag ERRFILE SEVERITY PATH MSG_ERE [pos]: ERRFILE holds a diagnostic
# `PATH:LINE:COL: SEVERITY: MSG` (with `pos`) or `PATH[:LINE[:COL]]: SEVERITY:
# MSG` (without).  PATH is site-relative; an absolute spelling of it (the
# site folder in front) is accepted too.  Dots in PATH are literal.
expect_diag() {
	local err=$1 sev=$2 path=$3 msg=$4 pos=${5:-} p
	p=$(printf '%s' "$path" | sed 's/[.[\*^$]/\\&/g')
	local where='(:[0-9]+(:[0-9]+)?)?'
	[ "$pos" = pos ] && where=':[1-9][0-9]*:[1-9][0-9]*'
	grep -Eq "^(/.*/)?${p}${where}: ${sev}: ${msg}" "$err" || {
		cat "$err" >&2
		fail "expected '${path}${pos:+:LINE:COL}: ${sev}: ${msg}'"
	}
}

# hash_files DIR PATH...: sha256 of the named files and of every file under
# the named folders, relative to DIR, sorted: what a user wrote by hand.
hash_files() {
	local dir=$1
	shift
	(cd "$dir" && find "$@" -type f -print0 2>/dev/null | sort -z | xargs -0 -r sha256sum)
}

# outside_snapshot ROOT SITE: every file under ROOT except the places a
# build may write (SITE/public, SITE/.newsprint, SITE/content/articles),
# with size and mtime, and every folder by name (a folder's mtime changes
# when those three appear), for checking that nothing else was created or
# changed.
outside_snapshot() {
	local s=${2#$1/}
	(cd "$1" && find . \( -path "./$s/public" -o -path "./$s/.newsprint" -o \
		-path "./$s/content/articles" \) -prune -o \( -type d -printf '%p/\n' \) -o \
		-printf '%p %s %T@\n' | grep -Ev "^\./$s/(public|\.newsprint|content/articles)/\$" | sort)
}
