/**
 * The code a worker thread evaluates to load its entry module, a sibling of the caller named without
 * extension. From sources (.ts) the worker first registers tsx's loader (Node 20 loads a worker's entry
 * before an inherited `--import tsx` hook is registered); from the build (dist/) it imports the .js
 * entry directly.
 */
export const workerBoot = (callerUrl: string, name: string): string => {
  const fromSources = callerUrl.endsWith(".ts")
  const entry = JSON.stringify(new URL(`./${name}${fromSources ? ".ts" : ".js"}`, callerUrl).href)
  return fromSources
    ? `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${entry}) })`
    : `import(${entry})`
}
