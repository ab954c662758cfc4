/** Every protocol's proof obligations, by protocol. */
import type { Obligation } from "../src/checker/prove.ts"
import { obligations as clientserver } from "./clientserver.ts"
import { obligations as twophase } from "./twophase.ts"
import { obligations as paxos } from "./paxos.ts"
import { obligations as primarybackup } from "./primarybackup.ts"
import { obligations as raft } from "./raft.ts"
import { obligations as replicatedKv } from "./replicated-kv.ts"
import { obligations as shardmaster } from "./shardmaster.ts"
import { obligations as shardkv } from "./shardkv.ts"
import { obligations as transactions } from "./transactions.ts"

export const PROOFS: Readonly<Record<string, ReadonlyArray<Obligation>>> = { twophase, clientserver, primarybackup, paxos, raft, "replicated-kv": replicatedKv, shardmaster, shardkv, transactions }
