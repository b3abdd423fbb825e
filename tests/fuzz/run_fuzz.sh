#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A bounded libFuzzer run for ctest: write the seeds, then fuzz from them into a fresh work corpus.
# Crash artifacts land in WORK_DIR/artifacts. Exits non-zero on any finding.
# Usage: run_fuzz.sh FUZZER SEED_WRITER CORPUS SEED_DIR WORK_DIR SECONDS [FUZZER_FLAG...]
# SEED_WRITER is a program run as `SEED_WRITER CORPUS SEED_DIR`, or "copy": then CORPUS is a folder
# of seed files, copied as they are. Any FUZZER_FLAG (e.g. -dict=FILE) is passed on to the fuzzer.
set -eu
fuzzer=$1 seed_writer=$2 corpus=$3 seed_dir=$4 work_dir=$5 seconds=$6
shift 6

rm -rf "$seed_dir" "$work_dir"
mkdir -p "$seed_dir" "$work_dir/corpus" "$work_dir/artifacts"
if [ "$seed_writer" = copy ]; then
	cp "$corpus"/* "$seed_dir"/
else
	"$seed_writer" "$corpus" "$seed_dir"
fi
exec "$fuzzer" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$work_dir/artifacts/" "$@" "$work_dir/corpus" "$seed_dir"
