#!/usr/bin/env bash
# Determinism guard: simulator code gets time only from core/clock and randomness only from core/rng.
# Any real clock, sleep or OS entropy elsewhere under simulator/ fails this test.
set -u
root=${1:-$(dirname "$0")/..}
hits=$(grep -rnE 'steady_clock::now|system_clock::now|high_resolution_clock::now|sleep_for|sleep_until|random_device|[^a-z_]rand\(|[^a-z_]time\(|usleep\(|random_generator' \
         "$root/simulator" | grep -v '^[^:]*/core/real_clock\.cpp:' | grep -vE '^[^:]*:[0-9]+:\s*//')
if [ -n "$hits" ]; then
  echo "simulator/ reads a real clock, sleeps or draws OS randomness outside core/real_clock.cpp:"
  echo "$hits"
  exit 1
fi
echo "ok: no ambient time or randomness in simulator/"
