/**
 * 回収 (collection) and 紛失届 (loss reports) of 資格確認書 (RULES.md §2), by the association or as a
 * notification calls for: a name or 記号・番号 change collects the certificate held and issues a
 * replacement (kind `reissue`, no fee, the policy's validity from the change's day); a loss or a
 * dependent removal collects it from `lostOn`. `collection_recorded_on` keeps when the collection
 * became known, so a verification on an earlier day answers as the hub would have then (DESIGN.md §3.1).
 */
import type { Kysely } from 'kysely';
import type { CertificateView, CollectInput, CollectionResult, ReportLostInput } from '../../contract/certificates.js';
import { type CollectionEvent, collectionFor, needsCollection } from '../../domain/collection.js';
import type { IsoDate } from '../../domain/dates.js';
import { certificateValidUntil, eligibilityCertificateProof } from '../../domain/proofs.js';
import type { CollectionReason, Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import { nowIso, type ServiceContext, today } from '../context.js';
import { lockInsurer } from '../document-scope.js';
import { type CertificateRow, policyOfRow } from '../issuance-facts.js';
import { insertCertificate } from './issue.js';
import { certificateState, certificateView, loadCertificateFor, reissuable } from './view.js';

/**
 * Marks a certificate collected from `on` (known on `recordedOn`), with its audit record
 * (`certificate.collect`). The caller has checked `needsCollection`.
 */
export async function markCollected(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  cert: CertificateRow,
  reason: CollectionReason,
  on: IsoDate,
  recordedOn: IsoDate,
): Promise<CertificateRow> {
  await trx
    .updateTable('eligibility_certificates')
    .set({ collected_on: on, collection_reason: reason, collection_recorded_on: recordedOn })
    .where('id', '=', cert.id)
    .execute();
  await appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
    action: 'certificate.collect',
    insurerNumber: cert.insurer_number,
    memberId: cert.member_id,
    detail: { certificateId: cert.id, collectedOn: on, reason, recordedOn },
  });
  return { ...cert, collected_on: on, collection_reason: reason, collection_recorded_on: recordedOn };
}

/**
 * Issues the replacement of a collected certificate (name or 記号・番号 change), unless the member no
 * longer holds anything a replacement would stand for: the collected one must have been usable.
 */
async function issueReplacement(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  collected: CertificateRow,
  reason: 'name_change' | 'number_change',
  on: IsoDate,
): Promise<CertificateRow> {
  const policy = policyOfRow(await lockInsurer(trx, ctx.store.dialect, collected.insurer_number));
  return insertCertificate(trx, ctx, actor, {
    member: { id: collected.member_id, insurer_number: collected.insurer_number },
    issuedOn: on,
    validUntil: certificateValidUntil(policy.certificatePolicy, on),
    reason,
    kind: 'reissue',
    supersedesId: collected.id,
  });
}

/**
 * Collects one certificate from `on` for `reason` (RULES.md §2, `collectionFor`), and issues the
 * replacement a name or 記号・番号 change calls for when `replace` and the certificate was usable.
 */
async function collectFor(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  cert: CertificateRow,
  reason: Exclude<CollectionReason, 'superseded'>,
  on: IsoDate,
  recordedOn: IsoDate,
  replace = true,
): Promise<{ collected: CertificateRow; replacement: CertificateRow | null }> {
  const usable = eligibilityCertificateProof(
    {
      issuedOn: cert.issued_on,
      validUntil: cert.valid_until,
      collectedOn: null,
      reportedLostOn: cert.reported_lost_on,
    },
    on,
  ).usable;
  const collected = await markCollected(trx, ctx, actor, cert, reason, on, recordedOn);
  if (reason !== 'name_change' && reason !== 'number_change') return { collected, replacement: null };
  const plan = collectionFor({ kind: reason, on });
  const replacement =
    replace && plan.replacement && usable ? await issueReplacement(trx, ctx, actor, collected, reason, on) : null;
  return { collected, replacement };
}

/** 回収 of one certificate by the association (role admin). CONFLICT_CERTIFICATE_STATE when already collected or expired. */
export async function collectCertificate(
  ctx: ServiceContext,
  actor: Actor,
  certificateId: string,
  input: CollectInput,
): Promise<CollectionResult> {
  const on = input.collectedOn ?? today(ctx);
  // Known from today: a verification on an earlier day answers as the hub knew then.
  const recordedOn = today(ctx);
  const reason = input.reason ?? 'returned';
  await loadCertificateFor(ctx.store.db, actor, certificateId, ['admin']);
  return ctx.store.db.transaction().execute(async (trx) => {
    const { cert } = await loadCertificateFor(trx, actor, certificateId, ['admin']);
    if (!needsCollection({ validUntil: cert.valid_until, collectedOn: cert.collected_on }, on)) {
      throw certificateState(
        'the certificate is already collected, or past its validity on collectedOn',
        '既に回収済み、または回収日に有効期限を過ぎています',
        { certificateId, collectedOn: on },
      );
    }
    const { collected, replacement } = await collectFor(trx, ctx, actor, cert, reason, on, recordedOn);
    return {
      certificate: certificateView(collected, on),
      replacement: replacement ? certificateView(replacement, on) : null,
    };
  });
}

/**
 * 紛失届 (roles admin, member): from `reportedOn` the certificate is no longer a proof
 * (CERTIFICATE_REPORTED_LOST at a reception). Only a certificate held that day can be reported.
 */
export async function reportCertificateLost(
  ctx: ServiceContext,
  actor: Actor,
  certificateId: string,
  input: ReportLostInput,
): Promise<CertificateView> {
  const on = input.reportedOn ?? today(ctx);
  await loadCertificateFor(ctx.store.db, actor, certificateId, ['admin', 'member']);
  return ctx.store.db.transaction().execute(async (trx) => {
    const { cert } = await loadCertificateFor(trx, actor, certificateId, ['admin', 'member']);
    if (cert.reported_lost_on !== null || !reissuable(cert, on)) {
      throw certificateState(
        'only a certificate still held (issued, not collected, within its validity, not yet reported) can be reported lost',
        '交付済みで回収されておらず有効期限内の資格確認書のみ紛失届を受け付けます',
        { certificateId, reportedOn: on },
      );
    }
    await trx.updateTable('eligibility_certificates').set({ reported_lost_on: on }).where('id', '=', cert.id).execute();
    await appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'certificate.report-lost',
      insurerNumber: cert.insurer_number,
      memberId: cert.member_id,
      detail: { certificateId: cert.id, reportedOn: on },
    });
    return certificateView({ ...cert, reported_lost_on: on }, on);
  });
}

/**
 * Collects the certificates `event` calls for (RULES.md §2; `collectionFor`, `needsCollection`) from
 * the members in `memberIds`, inside the notification's transaction, and issues the replacement of a
 * name change. Answers the ids collected and issued.
 */
export async function collectOnNotification(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  event: { kind: CollectionEvent['kind']; memberIds: readonly string[]; on: IsoDate; recordedOn: IsoDate },
): Promise<{ collected: string[]; replacements: string[] }> {
  const out = { collected: [] as string[], replacements: [] as string[] };
  if (event.memberIds.length === 0) return out;
  const rows = await trx
    .selectFrom('eligibility_certificates')
    .selectAll()
    .where('member_id', 'in', [...event.memberIds])
    .where('collected_on', 'is', null)
    .orderBy('issued_on')
    .orderBy('created_at')
    .execute();
  const due = rows.filter((c) => needsCollection({ validUntil: c.valid_until, collectedOn: c.collected_on }, event.on));
  // One replacement per member: for the newest certificate collected (older ones were superseded).
  const newest = new Map<string, string>();
  for (const c of due) newest.set(c.member_id, c.id);
  for (const cert of due) {
    const replace = newest.get(cert.member_id) === cert.id;
    const { collected, replacement } = await collectFor(
      trx,
      ctx,
      actor,
      cert,
      event.kind,
      event.on,
      event.recordedOn,
      replace,
    );
    out.collected.push(collected.id);
    if (replacement) out.replacements.push(replacement.id);
  }
  return out;
}
