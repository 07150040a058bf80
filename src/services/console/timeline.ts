/** A member's timeline of every fact, for the console (issue #4); audited (DESIGN.md §3.5). */
import type { Kysely } from 'kysely';
import type { Timeline, TimelineEvent, TimelineKind } from '../../contract/console.js';
import type { MemberFacts } from '../../domain/member.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import { nowIso, type ServiceContext } from '../context.js';
import { loadMemberInScope } from '../members.js';

const KNOWN_KINDS = new Set(['acquisition', 'dependent_add', 'loss', 'dependent_remove', 'change']);

/**
 * Every fact about a member, oldest first: versions (the notification behind each, hub status from
 * hubAvailableOn), acquisition and loss, legacy cards, the person's cards and 利用登録 (the association
 * holds the My Number), 資格確認書 and お知らせ when the store has them, and verifications answered for
 * the member. Admin of the member's association; audited.
 */
export async function memberTimeline(ctx: ServiceContext, actor: Actor, memberId: string): Promise<Timeline> {
  const db = ctx.store.db;
  const member = await loadMemberInScope(db, actor, memberId, ['admin']);
  const events: TimelineEvent[] = [];
  const versions = await db
    .selectFrom('member_versions')
    .leftJoin('notifications', 'notifications.id', 'member_versions.notification_id')
    .select([
      'member_versions.version',
      'member_versions.recorded_on',
      'member_versions.hub_available_on',
      'member_versions.hub_status',
      'member_versions.hub_mismatch_fields',
      'member_versions.facts',
      'notifications.kind',
      'notifications.source',
    ])
    .where('member_versions.member_id', '=', memberId)
    .orderBy('member_versions.version')
    .execute();
  let previous: MemberFacts | null = null;
  for (const v of versions) {
    const facts = JSON.parse(v.facts) as MemberFacts;
    const kind = v.kind && KNOWN_KINDS.has(v.kind) ? v.kind : 'change';
    events.push({
      on: v.recorded_on,
      recordedOn: v.recorded_on,
      kind: 'notification',
      detail: { version: Number(v.version), notification: kind, source: v.source ?? null },
    });
    if (!previous || previous.acquiredOn !== facts.acquiredOn) {
      events.push({
        on: facts.acquiredOn,
        recordedOn: v.recorded_on,
        kind: 'acquired',
        detail: { version: Number(v.version) },
      });
    }
    if (facts.lostOn !== null && previous?.lostOn !== facts.lostOn) {
      events.push({
        on: facts.lostOn,
        recordedOn: v.recorded_on,
        kind: 'lost',
        detail: { version: Number(v.version) },
      });
    }
    events.push({
      on: v.hub_available_on,
      recordedOn: v.recorded_on,
      kind: 'hub',
      detail: {
        version: Number(v.version),
        hubStatus: v.hub_status,
        mismatchFields: JSON.parse(v.hub_mismatch_fields) as string[],
      },
    });
    previous = facts;
  }
  for (const c of await db
    .selectFrom('legacy_cards')
    .select(['issued_on', 'created_at'])
    .where('member_id', '=', memberId)
    .execute()) {
    events.push({ on: c.issued_on, recordedOn: c.created_at.slice(0, 10), kind: 'legacy_card', detail: {} });
  }
  if (member.my_number_index !== null) {
    const cards = await db
      .selectFrom('cards')
      .select(['kind', 'issued_on', 'expires_on', 'status', 'ended_on'])
      .where('my_number_index', '=', member.my_number_index)
      .orderBy('issued_on')
      .execute();
    for (const c of cards) {
      events.push({
        on: c.issued_on,
        recordedOn: c.issued_on,
        kind: 'card',
        detail: { cardKind: c.kind, expiresOn: c.expires_on, status: c.status, endedOn: c.ended_on },
      });
    }
    const registrations = await db
      .selectFrom('card_registrations')
      .select(['kind', 'channel', 'recorded_on'])
      .where('my_number_index', '=', member.my_number_index)
      .orderBy('recorded_on')
      .execute();
    for (const r of registrations) {
      events.push({
        on: r.recorded_on,
        recordedOn: r.recorded_on,
        kind: 'card_registration',
        detail: { registration: r.kind, channel: r.channel },
      });
    }
  }
  events.push(...(await documentEvents(db, memberId)));
  for (const v of await db
    .selectFrom('verifications')
    .select(['id', 'provider_code', 'method', 'as_of', 'outcome', 'reasons', 'created_at'])
    .where('member_id', '=', memberId)
    .orderBy('created_at')
    .execute()) {
    events.push({
      on: v.as_of,
      recordedOn: v.created_at.slice(0, 10),
      kind: 'verification',
      detail: {
        verificationId: v.id,
        providerCode: v.provider_code,
        method: v.method,
        outcome: v.outcome,
        reasons: JSON.parse(v.reasons) as string[],
      },
    });
  }
  const order: Record<TimelineKind, number> = {
    notification: 0,
    acquired: 1,
    lost: 2,
    hub: 3,
    legacy_card: 4,
    card: 5,
    card_registration: 6,
    certificate: 7,
    notice: 8,
    verification: 9,
  };
  events.sort((a, b) =>
    a.on !== b.on
      ? a.on < b.on
        ? -1
        : 1
      : a.recordedOn !== b.recordedOn
        ? a.recordedOn < b.recordedOn
          ? -1
          : 1
        : order[a.kind] - order[b.kind],
  );
  await db.transaction().execute((trx) =>
    appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'member.timeline',
      insurerNumber: member.insurer_number,
      memberId,
      detail: { events: events.length },
    }),
  );
  return { memberId, events };
}

/** 資格確認書 (issue, collection, loss report) and お知らせ of the member (issue #3). */
async function documentEvents(db: Kysely<Database>, memberId: string): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [];
  const certificates = await db
    .selectFrom('eligibility_certificates')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('issued_on')
    .execute();
  for (const c of certificates) {
    events.push({
      on: c.issued_on,
      recordedOn: c.created_at.slice(0, 10),
      kind: 'certificate',
      detail: {
        certificateId: c.id,
        event: 'issued',
        certificateKind: c.kind,
        reason: c.reason,
        validUntil: c.valid_until,
        feeYen: c.fee_yen,
        supersedesId: c.supersedes_id,
      },
    });
    if (c.collected_on !== null) {
      events.push({
        on: c.collected_on,
        recordedOn: c.collection_recorded_on ?? c.collected_on,
        kind: 'certificate',
        detail: { certificateId: c.id, event: 'collected', reason: c.collection_reason },
      });
    }
    if (c.reported_lost_on !== null) {
      events.push({
        on: c.reported_lost_on,
        recordedOn: c.reported_lost_on,
        kind: 'certificate',
        detail: { certificateId: c.id, event: 'reported_lost' },
      });
    }
  }
  const notices = await db
    .selectFrom('notices')
    .select(['id', 'issued_on', 'reason', 'created_at'])
    .where('member_id', '=', memberId)
    .orderBy('issued_on')
    .execute();
  for (const n of notices) {
    events.push({
      on: n.issued_on,
      recordedOn: n.created_at.slice(0, 10),
      kind: 'notice',
      detail: { noticeId: n.id, reason: n.reason },
    });
  }
  return events;
}
