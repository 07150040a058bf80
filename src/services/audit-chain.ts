/**
 * The pure part of the audit chains (src/services/audit.ts): which chain a record belongs to, how
 * records link and hash. No I/O: the writers, the verifier and the bench generator share it.
 */
import { createHash } from 'node:crypto';
import type { AuditLogTable } from '../store/schema.js';
import { type Actor, actorLabel } from './actor.js';

export interface AuditEntry {
  readonly action: string;
  readonly insurerNumber?: string | null;
  readonly memberId?: string | null;
  /** Codes, ids and dates only: never a My Number or a name. */
  readonly detail?: Record<string, unknown>;
}

/** One record to append: who, when, what. */
export interface AuditRecord {
  readonly actor: Actor;
  readonly at: string;
  readonly entry: AuditEntry;
}

/** Where a chain stands: the seq and hash of its last record (seq 0 and GENESIS before the first). */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const GENESIS = '0'.repeat(64);
/** The chain of the records written before per-association chains (migration 0007): closed. */
export const LEGACY_CHAIN = 'legacy';

/** The chain a record belongs to (see the module note). */
export function auditChainOf(actor: Actor, entry: AuditEntry): string {
  if (entry.insurerNumber) return `insurer:${entry.insurerNumber}`;
  if (actor.role === 'provider' && actor.providerCode) return `provider:${actor.providerCode}`;
  return `actor:${actorLabel(actor)}`;
}

/**
 * The audit_log rows that `records` become (pure): record i gets `seqs[i]` (ascending) and links to
 * the head of its chain in `heads` (a chain missing there starts from GENESIS). `moved` is the new
 * head of every chain touched. For a writer that talks to the store by other means too
 * (src/services/disclosure-log.ts, bench/generate.ts).
 */
export function chainAuditRecords(
  heads: ReadonlyMap<string, ChainHead>,
  seqs: readonly number[],
  records: readonly AuditRecord[],
): { rows: AuditLogTable[]; moved: Map<string, ChainHead> } {
  const moved = new Map<string, ChainHead>();
  const rows = records.map(({ actor, at, entry }, i) => {
    const chain = auditChainOf(actor, entry);
    const prev = moved.get(chain) ?? heads.get(chain) ?? { seq: 0, hash: GENESIS };
    const row = {
      seq: seqs[i] as number,
      at,
      actor: actorLabel(actor),
      action: entry.action,
      insurer_number: entry.insurerNumber ?? null,
      member_id: entry.memberId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
      chain,
      prev_seq: prev.seq,
      prev_hash: prev.hash,
    };
    const hash = auditHash(row);
    moved.set(chain, { seq: row.seq, hash });
    return { ...row, hash };
  });
  return { rows, moved };
}

/** The hashed fields of a record; a record from before 0007 has no chain (and no prev_seq). */
export type ChainedFields = Pick<
  AuditLogTable,
  'seq' | 'at' | 'actor' | 'action' | 'insurer_number' | 'member_id' | 'detail' | 'prev_hash'
> & {
  chain?: string | null;
  prev_seq?: number | string | null;
};

/** SHA-256 of a record's fields; a legacy record (no chain) keeps the formula it was written with. */
export function auditHash(row: ChainedFields): string {
  const fields: unknown[] = [row.seq, row.at, row.actor, row.action, row.insurer_number, row.member_id, row.detail];
  if (row.chain !== null && row.chain !== undefined) fields.push(row.chain, Number(row.prev_seq));
  fields.push(row.prev_hash);
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
