#!/usr/bin/env bash
# newsprint archive-scale benchmark (run by hand, not in CI).  See bench/README.md.
#
#   bench/run.sh N            e.g. bench/run.sh 10000; bench/run.sh 100000
#
# Environment:
#   NP_BIN     newsprint binary (default: build/configure ./build-bench, Release)
#   BENCH_DIR  work folder (default /tmp/npbench); the archive goes to BENCH_DIR/N
#   THREADS    --threads for newsprint (default: nproc)
#   SEED       generator seed (default 1)
#   HUGO       hugo binary (default: `hugo` on PATH; set HUGO=none to skip)
#   REGEN=1    regenerate the archive even if BENCH_DIR/N holds one for N and SEED
#   HUGO_TIMEOUT  seconds before the Hugo build is given up (default 3600)
#   NICE       run the timed commands under `nice -n NICE` (e.g. NICE=-20 as root
#              on a shared machine, so that other jobs disturb the timings less)
#   SETTLE     seconds between the last run's cleanup and this run's first
#              build (default 370; see the file system note below)
#   REPEAT     times each one-new-issue case is timed (default 3): the first is
#              the issue's arrival; each repeat takes the issue out again (its
#              pages and records), builds untimed, puts it back and times the
#              build.  The table has every run and the median.
#
# For each case it runs the command under /usr/bin/time -v and records wall
# time, CPU time (user+sys), peak RSS, exit status, newsprint's summary line,
# and the load average just before (the machine may be shared).  The table is
# printed and written to BENCH_DIR/N/results.md.
set -u -o pipefail

# The whole script is one function, read before it runs, so that editing this
# file while a benchmark runs cannot derail it.
main() {

N=${1:?usage: bench/run.sh N}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BENCH_DIR=${BENCH_DIR:-/tmp/npbench}
THREADS=${THREADS:-$(nproc)}
SEED=${SEED:-1}
REPEAT=${REPEAT:-3}
HUGO=${HUGO:-$(command -v hugo || echo none)}
W=$BENCH_DIR/$N

die() { echo "run.sh: $*" >&2; exit 2; }

[ -x /usr/bin/time ] || {
	if [ "$(id -u)" = 0 ]; then apt-get install -y time >/dev/null || die "cannot install time"
	else die "/usr/bin/time missing: apt-get install -y time"; fi
}

if [ -z "${NP_BIN:-}" ]; then
	NP_BIN=$ROOT/build-bench/newsprint
	cmake -S "$ROOT" -B "$ROOT/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNP_WERROR=OFF >/dev/null \
		&& ninja -C "$ROOT/build-bench" newsprint >/dev/null || die "build failed (set NP_BIN to use a built binary)"
fi
[ -x "$NP_BIN" ] || die "no newsprint binary at $NP_BIN"
mkdir -p "$BENCH_DIR"

# 1. The sample site's records: the generator recombines their sentences.
if [ ! -d "$BENCH_DIR/sample/content/articles" ]; then
	rm -rf "$BENCH_DIR/sample" && mkdir -p "$BENCH_DIR/sample"
	cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/themes" "$BENCH_DIR/sample/"
	"$NP_BIN" ingest --site "$BENCH_DIR/sample" --quiet || true
fi

# 2. The synthetic archive (raw pages, records, one extra issue).
if [ "${REGEN:-0}" = 1 ] || ! python3 - "$W/manifest.json" "$N" "$SEED" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
sys.exit(0 if m["n"] == int(sys.argv[2]) and m["seed"] == int(sys.argv[3]) else 1)
EOF
then
	echo "generating $N articles into $W ..."
	python3 "$HERE/gen_archive.py" --n "$N" --seed "$SEED" --out "$W" \
		--sample-records "$BENCH_DIR/sample/content/articles" || die "generator failed"
fi
EXTRA=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["extra_issue"])' "$W/manifest.json")
EXTRA_N=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["extra_articles"])' "$W/manifest.json")

RES=$W/results.tsv
: >"$RES"
LOGS=$W/logs
rm -rf "$LOGS" && mkdir -p "$LOGS"

# measure LABEL OUTDIR CMD...: one timed run; OUTDIR ("-" for none) is counted
# (files, bytes) afterwards.
measure() {
	local label=$1 out=$2; shift 2
	local slug=${label//[^a-zA-Z0-9]/_}
	local load; load=$(cut -d' ' -f1 /proc/loadavg)
	sync
	local pre=()
	[ -n "${NICE:-}" ] && pre=(nice -n "$NICE")
	"${pre[@]}" /usr/bin/time -v -o "$LOGS/$slug.time" "$@" >"$LOGS/$slug.out" 2>"$LOGS/$slug.err"
	local rc; rc=$(sed -n 's/.*Exit status: //p' "$LOGS/$slug.time")
	[ -n "$rc" ] || rc=$(sed -n 's/.*terminated by signal \([0-9]*\).*/sig\1/p' "$LOGS/$slug.time")
	rc=${rc:-?}
	local wall user sys rss
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$LOGS/$slug.time" \
		| awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
	user=$(sed -n 's/.*User time (seconds): //p' "$LOGS/$slug.time")
	sys=$(sed -n 's/.*System time (seconds): //p' "$LOGS/$slug.time")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$LOGS/$slug.time")
	local files=- bytes=-
	if [ "$out" != - ] && [ -d "$out" ]; then
		files=$(find "$out" -type f | wc -l)
		bytes=$(du -sb "$out" | cut -f1)
	fi
	local summary; summary=$(grep -h '^built ' "$LOGS/$slug.out" "$LOGS/$slug.err" | tail -1)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$wall" \
		"$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" \
		"$rss" "$files" "$bytes" "$rc" "$load" "$summary" "$user" "$sys" "$*" >>"$RES"
	printf '  %-34s %8ss wall  %7.1f MiB  rc=%s  load=%s\n' "$label" "$wall" "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')" "$rc" "$load"
}

NP=("$NP_BIN")
NP_DESC="$("$NP_BIN" --version 2>&1 | head -1), binary built $(date -u -r "$NP_BIN" '+%F %T') UTC"
echo "newsprint: $NP_BIN ($NP_DESC; threads $THREADS); archive: $W; $(nproc) cores"
# Free memory matters on VMs: when the page cache has filled RAM, every page
# a build touches goes through reclaim first (see bench/README.md).
MEM=$(awk '/^MemFree:/ { f = $2 } /^MemAvailable:/ { a = $2 } /^MemTotal:/ { t = $2 }
	END { printf "memory: %.1f GiB free, %.1f available of %.1f", f / 1048576, a / 1048576, t / 1048576 }' /proc/meminfo)
echo "$MEM"

# 3. newsprint on raw pages: full ingest + build, and a no-op build.
# The sites get the repository's current theme (the archive may have been
# generated with an older one).
fresh_theme() { rm -rf "$1/themes" && cp -r "$ROOT/themes" "$1/themes"; }
# The last run's sites are moved aside here and deleted only after the last
# measurement.  On ext4 without a journal (the root file system of some VMs)
# the inode allocator skips, one by one and for every new file, the inodes
# freed in the last 60 s (360 s while their inode table block is dirty):
# a build from scratch right after half a million deletions spends tens of
# seconds of system time in that scan (bench/README.md).  So the builds here
# never follow the bench's own deletions, and a run that starts within
# SETTLE seconds (default 370) of the last one's cleanup waits first.
TRASH=$W/trash
mkdir -p "$TRASH"
for d in run-raw run-rec hugo hugo-public; do
	[ -e "$W/$d" ] && mv "$W/$d" "$TRASH/$d.$$.$RANDOM"
done
if [ -f "$BENCH_DIR/.cleaned" ]; then
	left=$(( $(cat "$BENCH_DIR/.cleaned") + ${SETTLE:-370} - $(date +%s) ))
	if [ "$left" -gt 0 ]; then
		echo "waiting ${left}s: the last run's deletions are too recent (SETTLE=0 to skip)"
		sleep "$left"
	fi
fi
sync
# The builds from scratch come first, before any case that deletes files
# (taking the extra issue out to time it again does): see the note above.
cp -a "$W/raw" "$W/run-raw" && fresh_theme "$W/run-raw"
measure "full ingest + build" "$W/run-raw/public" \
	"${NP[@]}" build --site "$W/run-raw" --threads "$THREADS"
measure "no-op build" - \
	"${NP[@]}" build --site "$W/run-raw" --threads "$THREADS"

# 4. newsprint on records (no raw pages: ingest has nothing to do).
cp -a "$W/records" "$W/run-rec" && mkdir -p "$W/run-rec/content/issues" && fresh_theme "$W/run-rec"
measure "build from records" "$W/run-rec/public" \
	"${NP[@]}" build --site "$W/run-rec" --threads "$THREADS"
measure "no-op build from records" - \
	"${NP[@]}" build --site "$W/run-rec" --threads "$THREADS"

# 5. One new issue, raw pages and then records.
cp -a "$W/extra/issues/$EXTRA" "$W/run-raw/content/issues/$EXTRA"
measure "one new issue (+$EXTRA_N articles)" - \
	"${NP[@]}" build --site "$W/run-raw" --threads "$THREADS"
for k in $(seq 2 "$REPEAT"); do
	rm -rf "$W/run-raw/content/issues/$EXTRA" "$W/run-raw/content/articles/$EXTRA"
	"${NP[@]}" build --site "$W/run-raw" --threads "$THREADS" --quiet >/dev/null 2>&1
	cp -a "$W/extra/issues/$EXTRA" "$W/run-raw/content/issues/$EXTRA"
	measure "one new issue, run $k" - "${NP[@]}" build --site "$W/run-raw" --threads "$THREADS"
done
measure "no-op build after it" "$W/run-raw/public" \
	"${NP[@]}" build --site "$W/run-raw" --threads "$THREADS"
N_RAW=$(find "$W/run-raw/content/articles" -name '*.md' | wc -l)
cp -a "$W/extra/articles/$EXTRA" "$W/run-rec/content/articles/$EXTRA"
measure "records: one new issue" - \
	"${NP[@]}" build --site "$W/run-rec" --threads "$THREADS"
for k in $(seq 2 "$REPEAT"); do
	rm -rf "$W/run-rec/content/articles/$EXTRA"
	"${NP[@]}" build --site "$W/run-rec" --threads "$THREADS" --quiet >/dev/null 2>&1
	cp -a "$W/extra/articles/$EXTRA" "$W/run-rec/content/articles/$EXTRA"
	measure "records: one new issue, run $k" - "${NP[@]}" build --site "$W/run-rec" --threads "$THREADS"
done

# 6. Hugo on the same records.
if [ "$HUGO" != none ] && [ -x "$(command -v "$HUGO")" ]; then
	mkdir -p "$W/hugo/static"
	cp -r "$HERE/hugo/." "$W/hugo/"
	[ -d "$ROOT/themes/default/static" ] && cp -r "$ROOT/themes/default/static" "$W/hugo/static/"
	measure "hugo: build from records" "$W/hugo-public" \
		timeout "${HUGO_TIMEOUT:-3600}" "$HUGO" --quiet --source "$W/hugo" --contentDir "$W/records/content" -d "$W/hugo-public"
	HUGO_VERSION=$("$HUGO" version | awk '{print $2}')
else
	HUGO_VERSION=none
fi

# 7. The table.
python3 - "$RES" "$N" "$N_RAW" "$THREADS" "$HUGO_VERSION" "$W" "$NP_DESC" "$MEM" >"$W/results.md" <<'EOF'
import sys
res, n, n_raw, threads, hugo, w, npdesc, mem = sys.argv[1:]
rows = [l.rstrip("\n").split("\t") for l in open(res) if l.strip()]
by = {r[0]: r for r in rows}
def mib(kb): return "%.0f" % (int(kb) / 1024) if kb not in ("", "-") else "-"
def mb(b): return "%.1f" % (int(b) / 1e6) if b not in ("", "-") else "-"
print("N = %s articles (%s records after ingest of the raw pages); %s, --threads %s; hugo %s; %s\n"
      % (n, n_raw, npdesc, threads, hugo, mem))
# user and system time apart: on some machines the file system's state after
# the previous run's deletions moves the system time (bench/README.md).
print("| case | wall s | cpu s | user s | sys s | peak RSS MiB | files | MB | exit | load | newsprint summary |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for r in rows:
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        r[0], r[1], r[2], r[9] or "-", r[10] or "-", mib(r[3]), r[4], mb(r[5]), r[6], r[7],
        r[8].replace("built ", "") if r[8] else ""))
for first, again in (("one new issue (+", "one new issue, run "),
                     ("records: one new issue", "records: one new issue, run ")):
    walls = [float(r[1]) for r in rows if r[0].startswith(first) or r[0].startswith(again)]
    if len(walls) > 1:
        walls.sort()
        print("\n%s: %d runs, wall %s s; median %.2f s" % (
            first.rstrip(" (+"), len(walls), ", ".join("%.2f" % w for w in walls),
            walls[len(walls) // 2] if len(walls) % 2 else
            (walls[len(walls) // 2 - 1] + walls[len(walls) // 2]) / 2))
h, s = by.get("hugo: build from records"), by.get("build from records")
if h and s:
    print("\nnewsprint vs hugo, build from the same %s records: newsprint %s s, hugo %s s: "
          "**%.1f×** (wall); cpu %s s vs %s s: %.1f×; peak RSS %s vs %s MiB"
          % (n, s[1], h[1], float(h[1]) / max(float(s[1]), 0.01), s[2], h[2],
             float(h[2]) / max(float(s[2]), 0.01), mib(s[3]), mib(h[3])))
print("\ncommands: see %s/results.tsv (last column) and logs in %s/logs/" % (w, w))
EOF
echo
cat "$W/results.md"
# The sites of the run before go now, after every measurement (see above).
rm -rf "$TRASH" && sync && date +%s >"$BENCH_DIR/.cleaned"
}

main "$@"; exit $?
