/**
 * Headless Chromium for the viewer's tests: Debian's /usr/bin/chromium (which .ci/run installs)
 * driven by playwright-core. A missing browser fails the tests with a clear message, never skips them.
 */
import { existsSync, mkdirSync } from "node:fs"
import { type Browser, chromium } from "playwright-core"

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

/** Screenshots a person can look at (git-ignored). */
export const SCREENSHOTS = new URL("../../test-output/screenshots/", import.meta.url)

export const launch = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: install it with "apt-get update && apt-get install -y chromium" (or set CHROMIUM_PATH)`)
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] })
}
