import test from "ava"
import { checkHistory } from "../../src/linearizability/check.ts"
import { loadHistory } from "../../src/linearizability/formats.ts"
import { renderHtml } from "../../src/linearizability/html.ts"
import { readHistoryFile } from "./data.ts"

const page = (file: string) => {
  const { model, history } = loadHistory(readHistoryFile(file))
  const result = checkHistory(model, history)
  return { model, history, result, html: renderHtml({ title: file, model, history, result }) }
}

test("a violation page is self-contained and names the blocking operation and the failing sub-history", (t) => {
  const { model, history, result, html } = page("kv/c10-bad.txt")
  const failure = result.failure!
  const blocking = history[failure.blocking]!
  t.true(html.startsWith("<!doctype html>"))
  t.notRegex(html, /<script|<link|src=|href=|url\(/)
  const escaped = model.describe(blocking.input, blocking.output).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  t.true(html.includes(`<b class="blocking">${escaped}</b>`))
  t.regex(html, new RegExp(`Small(est)? failing sub-history \\(${failure.subHistory!.operations.length} of ${failure.operations.length} operations\\)`))
  // One bar per drawn operation; the blocking one is drawn in red in both drawings.
  t.is(html.match(/stroke="#c0392b"/g)?.length, 2)
})

test("a linearizable page numbers a linearisation", (t) => {
  const { html, result } = page("jepsen/etcd_002.log")
  t.is(result.verdict, "linearizable")
  t.regex(html, />#1 /)
  t.notRegex(html, /stroke="#c0392b"/)
})
