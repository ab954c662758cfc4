/**
 * TaggedData: Schema tagged classes that validate when built outside a handler and skip validation
 * inside one (core/tagged-data.ts), building the same data; the schema itself (decoding) still
 * validates, so the runtime's boundary does.
 */
import test from "ava"
import { Equal, Schema } from "effect"
import { fingerprintValue } from "../../src/checker/hash.ts"
import { canonicalText } from "../../src/core/encode.ts"
import { runNodeEvent } from "../../src/core/dispatch.ts"
import type { NodeDef } from "../../src/core/node.ts"
import { show } from "../../src/core/show.ts"
import { constructionTrusted, TaggedData, trustingConstruction } from "../../src/core/tagged-data.ts"
import { Effect } from "effect"

class Vote extends TaggedData<Vote>()("Vote", { term: Schema.Number, voter: Schema.String, note: Schema.optionalKey(Schema.String) }) {}
class Carrier extends TaggedData<Carrier>()("Carrier", { vote: Vote, terms: Schema.Array(Schema.Number) }) {}

const fp = (v: unknown) => {
  const f = fingerprintValue(v, { hi: 0, lo: 0 })
  return `${f.hi}:${f.lo}`
}

test("outside a handler a TaggedData class validates; inside it builds the same instance without validating", (t) => {
  t.throws(() => new Vote({ term: "3" as unknown as number, voter: "s1" }))
  t.false(constructionTrusted())
  const checked = new Carrier({ vote: new Vote({ term: 3, voter: "s1" }), terms: [1, 2] })
  const trusted = trustingConstruction(() => {
    t.true(constructionTrusted())
    return new Carrier({ vote: new Vote({ term: 3, voter: "s1" }), terms: [1, 2] })
  })
  t.false(constructionTrusted())
  t.true(trusted instanceof Carrier)
  t.true(trusted.vote instanceof Vote)
  t.is(trusted._tag, "Carrier")
  t.deepEqual(Object.keys(trusted).sort(), Object.keys(checked).sort())
  t.true(Equal.equals(trusted, checked))
  t.is(fp(trusted), fp(checked))
  t.is(canonicalText(trusted), canonicalText(checked))
  t.is(show(trusted), show(checked))
  t.true(Schema.is(Carrier)(trusted))
  // Not validated inside: the wrong type goes through, and the schema's decoding (the boundary) still rejects it.
  const bad = trustingConstruction(() => new Vote({ term: "3" as unknown as number, voter: "s1" }))
  t.is(bad.term as unknown, "3")
  t.throws(() => Schema.decodeUnknownSync(Vote)({ _tag: "Vote", term: "3", voter: "s1" }))
  t.like(Schema.decodeUnknownSync(Vote)({ _tag: "Vote", term: 3, voter: "s1" }), { term: 3, voter: "s1" })
  // Only declared fields are kept, and an absent optional field stays absent.
  const extra = trustingConstruction(() => new Vote({ term: 1, voter: "a", junk: 1 } as unknown as { term: number; voter: string }))
  t.deepEqual(Object.keys(extra).sort(), ["_tag", "term", "voter"])
  // A failure inside still leaves validation on afterwards.
  t.throws(() => trustingConstruction(() => {
    throw new Error("boom")
  }))
  t.false(constructionTrusted())
})

test("a handler's messages are built trusted, through the same interpreter the checker and the runtime use", (t) => {
  const seen: boolean[] = []
  const def: NodeDef<number, Vote> = {
    init: () => 0,
    onMessage: {
      Vote: Effect.fnUntraced(function* (s: number, m: Vote, from: string, ctx) {
        seen.push(constructionTrusted())
        ctx.send(from, new Vote({ term: m.term + 1, voter: ctx.self }))
        return s + 1
      }),
    },
  } as unknown as NodeDef<number, Vote>
  const r = runNodeEvent({ def, self: "a", peers: ["a", "b"], state: 0, timers: [], durable: undefined }, { k: "message", to: "a", from: "b", msg: new Vote({ term: 1, voter: "b" }) })
  t.deepEqual(seen, [true])
  t.false(constructionTrusted())
  t.is(r.state, 1)
  t.like(r.sends[0], { to: "b", msg: { _tag: "Vote", term: 2, voter: "a" } })
  t.true(r.sends[0]!.msg instanceof Vote)
})
