/** `tla-ts/linearizability`: the linearizability checker, its models and history formats. */
export * from "../linearizability/check.ts"
export * from "../linearizability/history.ts"
export * from "../linearizability/model.ts"
export * from "../linearizability/formats.ts"
export * from "../linearizability/parse-json.ts"
export * from "../linearizability/html.ts"
export { HistoryParseError } from "../linearizability/errors.ts"
