/** What the set writer decided for one row (decide.ts, decide-existing.ts) and writes (write.ts). */
import type { NotificationResult } from '../../../contract/notifications.js';
import type { MembersTable, MemberVersionsTable, NotificationsTable } from '../../../store/schema.js';
import type { AuditRecord } from '../../audit.js';
import type { NoticeRow } from '../../notices.js';

/** A decided row: its answer and everything it writes. */
export interface Decided {
  result: NotificationResult;
  /** The member it adds (an acquisition, a dependent's addition), or null. */
  inserted: MembersTable | null;
  /** The members rows it changes (a change; a loss and the dependents it ends), in order. */
  updated: MembersTable[];
  versions: MemberVersionsTable[];
  notification: NotificationsTable;
  notice: NoticeRow | null;
  audits: AuditRecord[];
}
