/**
 * Headless Chromium for browser tests: Debian's `chromium` package driven by playwright-core (which
 * downloads no browser of its own). scripts/test.sh installs the package when it is missing;
 * CHROMIUM_PATH points at another build.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { chromium, type Browser } from "playwright-core";

const INSTALL_HINT = "install it with `apt-get install -y chromium` (scripts/test.sh does when run as root) or set CHROMIUM_PATH";

export function chromiumPath(): string {
	const explicit = process.env.CHROMIUM_PATH;
	if (explicit) {
		assertExecutable(explicit, `CHROMIUM_PATH=${explicit} is not an executable file`);
		return explicit;
	}
	const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), "/usr/bin"];
	for (const dir of dirs) {
		for (const name of ["chromium", "chromium-browser"]) {
			const candidate = join(dir, name);
			try {
				accessSync(candidate, constants.X_OK);
				return candidate;
			} catch {
				// Not here.
			}
		}
	}
	throw new Error(`chromium not found in PATH or /usr/bin; ${INSTALL_HINT}`);
}

function assertExecutable(file: string, message: string): void {
	try {
		accessSync(file, constants.X_OK);
	} catch {
		throw new Error(`${message}; ${INSTALL_HINT}`);
	}
}

export function launchChromium(): Promise<Browser> {
	// playwright runs Chromium without its sandbox by default, which root (CI containers) needs.
	return chromium.launch({ executablePath: chromiumPath(), headless: true, timeout: 30_000 });
}
