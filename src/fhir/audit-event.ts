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

/**
 * The actions the log records, for CodeSystem/audit-action. A fragment: a release may add actions
 * before this list names them, so the CodeSystem says `content: fragment`.
 */
export const AUDIT_ACTIONS: Readonly<Record<string, { ja: string; en: string }>> = {
  verification: { ja: '資格確認', en: 'Eligibility verification' },
  'fhir.read': { ja: 'FHIRでの参照', en: 'Read over FHIR' },
  'member.view': { ja: '加入者の閲覧', en: 'Member viewed' },
  'member.search': { ja: '加入者の検索', en: 'Members searched' },
  'member.timeline': { ja: '加入者の履歴の閲覧', en: 'Member timeline viewed' },
  'insurer.create': { ja: '保険者の登録', en: 'Association registered' },
  'insurer.dashboard': { ja: '保険者ダッシュボードの閲覧', en: 'Association dashboard viewed' },
  'resident.upsert': { ja: '住民記録の登録', en: 'Resident record written' },
  'application.list': { ja: '申請の一覧', en: 'Applications listed' },
  'application.approve': { ja: '申請の承認', en: 'Application approved' },
  'application.refuse': { ja: '申請の却下', en: 'Application refused' },
  'certificate.issue': { ja: '資格確認書の交付', en: 'Certificate issued' },
  'certificate.collect': { ja: '資格確認書の回収', en: 'Certificate collected' },
  'certificate.report-lost': { ja: '資格確認書の紛失届', en: 'Certificate reported lost' },
  'certificate.run.start': { ja: '一斉交付の開始', en: 'Issuance run started' },
  'certificate.run.finish': { ja: '一斉交付の終了', en: 'Issuance run finished' },
  'legacy_card.issue': { ja: '健康保険証の記録', en: 'Legacy card recorded' },
  'legacy_card.return': { ja: '健康保険証の回収', en: 'Legacy card handed back' },
  'legacy_card.dispose': { ja: '健康保険証の自己廃棄', en: 'Legacy card destroyed by the member' },
  'legacy_card.report_lost': { ja: '健康保険証の滅失・き損届', en: 'Legacy card reported lost' },
  'notice.issue': { ja: 'お知らせの発行', en: 'Notice issued' },
  'portal.login': { ja: 'ポータルへのログイン', en: 'Portal login' },
  'portal.login_refused': { ja: 'ポータルへのログイン拒否', en: 'Portal login refused' },
  'portal.view': { ja: 'ポータルでの閲覧', en: 'Portal page viewed' },
  'portal.pdf': { ja: 'ポータルでのPDF取得', en: 'Portal PDF downloaded' },
  'token.revoke': { ja: 'トークンの失効', en: 'Token revoked' },
  'keys.rewrap': { ja: '鍵の再暗号化', en: 'Keys rewrapped' },
};

/** Reads are R; everything else the log records (verifications, notifications, issuances…) is E. */
export function actionOf(action: string): AuditEvent['action'] {
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
