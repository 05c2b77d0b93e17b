#!/usr/bin/env bash
# Runs the client benchmarks interleaved: ROUNDS rounds, each running every
# benchmark once, so that drift and neighbours' load hit all clients alike;
# then prints the table of medians with ratios to raw and the SDK's targets,
# and writes results/<date>.txt (raw output) and results/<date>.md (notes
# below an "<!-- analysis -->" line in an existing results/<date>.md are
# kept).
#
#   bash run.sh                      # 6 rounds of -benchtime=800ms
#   ROUNDS=3 BENCHTIME=200ms bash run.sh
#   BENCH='List|Sign' bash run.sh    # a subset
#
# The sanity tests (every client's request passes the server's independent
# V1 signature check; the check can fail) run first, and a failure stops the
# run before any number is taken.
set -euo pipefail
cd "$(dirname "$0")"

ROUNDS=${ROUNDS:-6}
BENCHTIME=${BENCHTIME:-800ms}
BENCH=${BENCH:-'^(BenchmarkList|BenchmarkListParallel|BenchmarkLocal|BenchmarkSign|BenchmarkDecode|BenchmarkPaginate)$'}
DATE=$(date -u +%Y-%m-%d)
mkdir -p results
RAW=${RAW:-results/$DATE.txt}
MD=${MD:-results/$DATE.md}

echo "== sanity: signatures verify, bad signatures are refused" >&2
go test -count=1 -run 'TestSignaturesVerify|TestServerRejectsBadSignature|TestDecodersAgree|TestLocalContenders' .

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" .

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$RAW"
for i in $(seq 1 "$ROUNDS"); do
	echo "== round $i/$ROUNDS" >&2
	"$tmp/bench.test" -test.run '^$' -test.bench "$BENCH" -test.benchmem \
		-test.benchtime "$BENCHTIME" -test.count 1 | tee -a "$RAW" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# The signer's own micro-benchmark in the SDK module, when it builds: a
# supplementary row, not one of the four clients.
if [ "${SIGNV1:-1}" = 1 ]; then
	(cd .. && go test -run '^$' -bench '^BenchmarkSignV1$' -benchmem -count "$ROUNDS" ./internal/signer) \
		>"$tmp/signv1.txt" 2>&1 && grep '^BenchmarkSignV1' "$tmp/signv1.txt" >>"$RAW" ||
		echo "(internal/signer BenchmarkSignV1 not run: $(tail -1 "$tmp/signv1.txt"))" >&2
fi

table=$(go run ./cmd/benchtable "$RAW")
# Hand-written notes below an "<!-- analysis -->" line survive a re-run.
notes=""
if [ -f "$MD" ] && grep -q '^<!-- analysis -->' "$MD"; then
	notes=$(sed -n '/^<!-- analysis -->/,$p' "$MD")
fi
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
{
	echo "# Client benchmarks, $DATE"
	echo
	echo "- Go: $(go version | cut -d' ' -f3-)"
	echo "- CPU: $cpu ($(nproc) cores; Go reports: $(grep -m1 '^cpu:' "$RAW" | cut -d: -f2- | sed 's/^ *//'))"
	echo "- SDK tree: $(git -C .. rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C .. diff --quiet HEAD -- . ':!bench' 2>/dev/null || echo ' with uncommitted changes')"
	echo "- Run: $ROUNDS interleaved rounds, -benchtime=$BENCHTIME, medians; load average before/after: $load_before / $load_after"
	echo "- Server: one httptest server on 127.0.0.1 in a child process (B/op and allocs/op are the client's alone)"
	echo
	echo "$table"
	if [ -n "$notes" ]; then
		echo
		echo "$notes"
	fi
} >"$MD"
echo "$table"
echo >&2
echo "wrote $RAW and $MD" >&2
