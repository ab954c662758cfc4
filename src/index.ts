/**
 * `tla-ts`: define a model (`defineModel`) over any transition system and check it, from the CLI
 * (`tla-ts check ./model.ts`, `tla-ts test ./model.ts`) or from code (`runModel`, `bfs`...). Kept
 * light: the protocol DSL, which loads Effect, is `tla-ts/core`. Other subpaths: `tla-ts/checker`,
 * `tla-ts/linearizability`, `tla-ts/spec`, `tla-ts/registry` (the built-in models).
 */
export * from "./api/checker.ts"
export * from "./registry/define.ts"
export * from "./errors.ts"
