#!/usr/bin/env bash
# newsprint developer entry point: sets up a Debian 12 machine, builds, and
# runs the sample site or the test suite.
#
#   ./dev.sh site        install what is missing, build, generate the sample archive into public/
#   ./dev.sh test        install what is missing, build, run the whole test suite (ctest)
#   ./dev.sh test-asan   the same suite in an ASan + UBSan build
#   ./dev.sh setup       only install the packages
#
# Packages are installed with apt-get when running as root; otherwise the
# script prints the exact command to run and stops.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(build-essential cmake ninja-build pkg-config git
	libcmark-dev libyaml-dev libicu-dev libxxhash-dev libmicrohttpd-dev libcmocka-dev
	python3 python3-yaml tidy chromium fonts-wqy-microhei curl wrk)

missing_packages() {
	local p
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
	done
}

setup() {
	local missing
	missing=$(missing_packages | tr '\n' ' ')
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" = 0 ]; then
		echo "dev.sh: installing: $missing" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "dev.sh: missing packages; run: sudo apt-get install -y $missing" >&2
		exit 1
	fi
}

jobs() { nproc 2>/dev/null || echo 2; }

build() { # build DIR BUILD_TYPE
	local werror=OFF
	[ "${CI:-}" = true ] && werror=ON
	cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE="$2" -DNP_WERROR="$werror" >/dev/null
	cmake --build "$1" -j "$(jobs)"
}

run_tests() { # run_tests DIR
	(cd "$1" && LC_ALL=C.UTF-8 TZ=UTC ctest --output-on-failure -j "$(jobs)" --timeout 900)
}

case "${1:-}" in
setup) setup ;;
site)
	setup
	build build RelWithDebInfo
	status=0
	./build/newsprint build --site . --out public || status=$?
	echo
	echo "The sample archive is in public/. Open it with:"
	echo "  xdg-open public/index.html        (or serve it: ./build/newsprint serve --site .)"
	exit $status
	;;
test)
	setup
	build build RelWithDebInfo
	run_tests build
	;;
test-asan)
	setup
	build build-asan Sanitize
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		run_tests build-asan
	;;
*)
	sed -n '2,12p' "$0"
	exit 2
	;;
esac
