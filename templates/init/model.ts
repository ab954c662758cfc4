/** The model `tla-ts check ./model.ts` and `tla-ts test` run: parameters, named tests, expected verdicts. */
import { defineModel } from "tla-ts"
import { lockSystem } from "./src/lock.ts"

export default defineModel({
  name: "lock",
  description: "a lock server granting one client at a time",
  params: { clients: { default: 3, min: 1, max: 6, description: "number of clients" } },
  build: ({ clients }) => lockSystem({ clients }),
  tests: {
    "mutual-exclusion": {
      description: "every interleaving: at most one client in its critical section",
      expect: "ok",
    },
    "bug-grant-while-held": {
      description: "planted bug: the server grants a held lock; MUTUAL_EXCLUSION must fail",
      build: ({ clients }) => lockSystem({ clients, bugGrantWhileHeld: true }),
      expect: "violation",
    },
  },
})
