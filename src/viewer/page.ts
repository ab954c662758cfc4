/**
 * Assembles a self-contained page: the shared stylesheet, the page's data as inline JSON and its
 * prebuilt browser bundle (src/viewer/assets/, made by `npm run build:viewer`), so it works offline.
 */
import { readFileSync } from "node:fs"
import { escapeHtml, LAYOUT, STYLE } from "./style.ts"

export type App = "trace" | "explore"

/** The committed bundle of one browser app. */
export const bundleFile = (app: App): URL => new URL(`./assets/${app}.js`, import.meta.url)

/** Text that is safe inside an inline <script> element. */
const scriptSafe = (s: string) => s.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--")

export const renderPage = (app: App, title: string, data: unknown): string => {
  const json = JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029")
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}${LAYOUT}</style>
</head><body>
<div id="app"></div>
<script type="application/json" id="data">${json}</script>
<script>${scriptSafe(readFileSync(bundleFile(app), "utf8"))}</script>
</body></html>
`
}
