/**
 * `tla-ts`: define a model (`defineModel`) over a protocol written with the DSL or over any transition
 * system, then check it with the CLI or from code. Subpaths: `tla-ts/core` (the DSL), `tla-ts/checker`,
 * `tla-ts/linearizability`, `tla-ts/spec`, `tla-ts/registry` (the built-in models).
 */
export * from "./api/core.ts"
export * from "./api/checker.ts"
export * from "./registry/define.ts"
export * from "./errors.ts"
