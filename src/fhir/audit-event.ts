/**
 * A FHIR AuditEvent view of the hash-chained audit log (src/services/audit.ts): one event per record,
 * id = its sequence number, with its hash and the previous one, so a client can re-check the chain.
 * Records hold ids and codes only, never a name or a My Number, so the view discloses no personal
 * data beyond member ids. Pure: src/services/fhir-audit.ts reads the records an actor may see.
 */
import type { AuditEvent, AuditEventEntity } from '@medplum/fhirtypes';
import { SHIKAKU_BASE, SID } from './systems.js';

export const AUDIT_ACTION_SYSTEM = `${SHIKAKU_BASE}/CodeSystem/audit-action`;
const TOKEN_SYSTEM = `${SHIKAKU_BASE}/sid/token`;
const AUDIT_SYSTEM = `${SHIKAKU_BASE}/sid/audit`;

/** Reads are R; everything else the log records (verifications, notifications, issuances…) is E. */
function actionOf(action: string): AuditEvent['action'] {
  return action.endsWith('.read') || action.endsWith('.view') ? 'R' : 'E';
}

/**
 * One record of the log as stored: the store's audit_log row, restated because the pure mapping does
 * not import the store; the route hands it those rows, so the compiler keeps the two in step.
 */
export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  insurer_number: string | null;
  member_id: string | null;
  /** JSON; ids and codes only. */
  detail: string;
  prev_hash: string;
  hash: string;
}

export function toAuditEvent(row: AuditRecord): AuditEvent {
  const seq = String(row.seq);
  const colon = row.actor.indexOf(':');
  const role = colon < 0 ? row.actor : row.actor.slice(0, colon);
  const tokenId = colon < 0 ? '' : row.actor.slice(colon + 1);
  const entity: AuditEventEntity[] = [];
  if (row.member_id) {
    entity.push({
      what: { identifier: { system: SID.member, value: row.member_id } },
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
    });
  }
  if (row.insurer_number) entity.push({ what: { reference: `Organization/${row.insurer_number}` } });
  entity.push({
    what: { identifier: { system: AUDIT_SYSTEM, value: seq } },
    detail: [
      { type: 'detail', valueString: row.detail },
      { type: 'hash', valueString: row.hash },
      { type: 'prevHash', valueString: row.prev_hash },
    ],
  });
  return {
    resourceType: 'AuditEvent',
    id: seq,
    type: { system: AUDIT_ACTION_SYSTEM, code: row.action },
    action: actionOf(row.action),
    recorded: row.at,
    outcome: '0',
    agent: [
      {
        role: [{ text: role }],
        who: { ...(tokenId ? { identifier: { system: TOKEN_SYSTEM, value: tokenId } } : {}), display: row.actor },
        requestor: true,
      },
    ],
    source: { observer: { display: 'Shikaku' } },
    entity,
  };
}
