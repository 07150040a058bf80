/**
 * The reception terminal's offline queue (issue #4 item 1): when the hub cannot be reached the clerk
 * records what the patient showed (お知らせ + card, the portal screen, a 資格確認書 …) and the numbers
 * on it; the terminal re-verifies each entry for the day of the visit once the hub answers again and
 * flags any that turn out ineligible. Kept in localStorage so a reload or a crash loses nothing.
 */
import type { VerificationAnswer } from '../../answers.js';

export type ShownDocument = 'notice' | 'portal' | 'certificate' | 'legacy_card';

export interface QueueEntry {
  id: string;
  /** When the clerk recorded it (ISO instant, the terminal's clock). */
  recordedAt: string;
  /** The day of the visit: re-verification answers for this day. */
  asOf: string;
  shown: ShownDocument;
  insurerNumber: string;
  symbol: string;
  number: string;
  branch: string;
  birthDate: string;
  /** As the clerk read it from the document; shown in the queue only. */
  name: string;
  status: 'pending' | 'confirmed' | 'flagged';
  checkedAt?: string;
  outcome?: VerificationAnswer['outcome'];
  reasons?: VerificationAnswer['reasons'];
  fallbacks?: VerificationAnswer['fallbacks'];
  verificationId?: string;
}

const KEY = 'shikaku.reception.queue';

export function loadQueue(): QueueEntry[] {
  try {
    const raw = localStorage.getItem(KEY);
    const value: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(value) ? (value as QueueEntry[]) : [];
  } catch {
    return [];
  }
}

export function saveQueue(queue: QueueEntry[]): void {
  localStorage.setItem(KEY, JSON.stringify(queue));
}

/** The document the verification API is asked about for what the patient showed. */
export function documentFor(shown: ShownDocument): 'certificate' | 'legacy_card' | 'notice' {
  return shown === 'notice' || shown === 'portal' ? 'notice' : shown;
}

export function newEntryId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `q-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
