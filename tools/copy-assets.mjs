// Part of `npm run build`: tsc emits only compiled TypeScript, so files the code reads at run time
// next to itself (any `assets/` folder under src/, e.g. the viewer's bundled pages) are copied to dist/.
import { cpSync, existsSync, readdirSync } from "node:fs"
import { join } from "node:path"

const copy = (dir) => {
  if (!existsSync(dir)) return
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue
    const p = join(dir, e.name)
    if (e.name === "assets") cpSync(p, join("dist", p), { recursive: true })
    else copy(p)
  }
}
copy("src")
