/**
 * What a recorded notification means for the member's documents (RULES.md §2, §3), run by the
 * registry inside the notification's transaction so the document changes commit with it:
 * - an acquisition (insured or dependent) issues the 資格情報のお知らせ, dated the notification's
 *   recordedOn;
 * - a loss collects the 資格確認書 of the insured and of the dependents that ended with them, from
 *   each one's lostOn; a dependent removal collects the dependent's;
 * - a change of name (氏名 or フリガナ, both printed) collects the 資格確認書 held and issues its
 *   replacement, from the change's recordedOn. The お知らせ is not reissued on a name change (RULES.md §3).
 * Address and remuneration changes call for nothing here.
 */
import type { Kysely } from 'kysely';
import type { IsoDate } from '../domain/dates.js';
import type { MemberFacts } from '../domain/member.js';
import type { Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import { collectOnNotification } from './certificates/collect.js';
import type { ServiceContext } from './context.js';
import { issueNoticeFor } from './notices.js';

export interface RecordedNotification {
  kind: 'acquisition' | 'dependent_add' | 'loss' | 'dependent_remove' | 'change';
  recordedOn: IsoDate;
  memberId: string;
  /** The member's facts before the notification (null for a new member) and after it. */
  before: MemberFacts | null;
  after: MemberFacts;
  /** Dependents ended with an insured's loss, with their own lostOn. */
  ended: ReadonlyArray<{ memberId: string; lostOn: IsoDate | null }>;
}

export async function onNotificationRecorded(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  n: RecordedNotification,
): Promise<void> {
  switch (n.kind) {
    case 'acquisition':
    case 'dependent_add':
      await issueNoticeFor(trx, ctx, actor, n.memberId, n.recordedOn, 'acquisition');
      return;
    case 'loss':
    case 'dependent_remove': {
      const lost = [{ memberId: n.memberId, lostOn: n.after.lostOn }, ...n.ended];
      for (const m of lost) {
        if (m.lostOn === null) continue;
        await collectOnNotification(trx, ctx, actor, {
          kind: n.kind,
          memberIds: [m.memberId],
          on: m.lostOn,
          recordedOn: n.recordedOn,
        });
      }
      return;
    }
    case 'change': {
      const renamed = n.before !== null && (n.before.name !== n.after.name || n.before.nameKana !== n.after.nameKana);
      if (renamed) {
        await collectOnNotification(trx, ctx, actor, {
          kind: 'name_change',
          memberIds: [n.memberId],
          on: n.recordedOn,
          recordedOn: n.recordedOn,
        });
      }
      return;
    }
  }
}
