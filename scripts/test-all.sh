#!/usr/bin/env bash
# The whole suite: typecheck, lint, unit, GPU (real WebGPU in headless Chromium) and e2e tests.
# Every part runs even if an earlier one fails, so one run shows everything that is wrong.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh || exit 1

failed=()
passed=()
step() {
  local name=$1; shift
  echo "::group::$name"
  local t0=$SECONDS
  if "$@"; then passed+=("$name"); echo "== $name: ok ($((SECONDS - t0)) s)"; else failed+=("$name"); echo "== $name: FAILED ($((SECONDS - t0)) s)"; fi
  echo "::endgroup::"
}
step typecheck npx tsc -p tsconfig.json --noEmit
step lint npx biome check .
step unit npx vitest run --project unit
step gpu npx vitest run --project gpu
step e2e npx playwright test

echo
echo "suites: ${#passed[@]} passed, ${#failed[@]} failed${failed:+ (${failed[*]})}"
[ ${#failed[@]} -eq 0 ]
