#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs npm packages, and nats-server,
# redis-server and chromium from Debian's packages when they are not on PATH, then type-checks and
# runs mocha.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "==> installing npm packages (npm ci)"
	npm ci --no-audit --no-fund
fi

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
missing=()
have nats-server || missing+=(nats-server)
have redis-server || missing+=(redis-server)
# The console page's end-to-end test drives headless Chromium (test/helpers/chromium.ts finds it).
[ -n "${CHROMIUM_PATH:-}" ] || have chromium || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
		echo "==> installing ${missing[*]} from Debian's packages"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	else
		echo "The tests need ${missing[*]} on PATH. Install them with:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
		echo "(or put the binaries on PATH another way), then run npm test again." >&2
		exit 1
	fi
fi
export PATH="$PATH:/usr/sbin"

echo "==> type-checking"
npx tsc --noEmit -p .

echo "==> running the tests"
exec npx mocha "$@"
