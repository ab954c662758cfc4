/**
 * The TypeScript loader of the ava workers (package.json ava.nodeArguments): this project's sources
 * import each other by their `.ts` names and are ES modules, so loading one takes no more than
 * esbuild's transform of it (cached on disk by content). tsx's hooks also resolve and load every
 * node_modules file (effect alone is hundreds), which cost a test worker that imports effect about
 * 0.5 CPU second more than this, one that does not about 0.1 (bench/test-times.json, sideBySide).
 * Model files and workers still load through tsx where the sources ask for it
 * (src/registry/model-file.ts, src/checker/worker-boot.ts).
 */
import { register } from "node:module"

register("./hooks.mjs", import.meta.url)
