import { M } from './messages.js';
import type { ShownDocument } from './offline-queue.js';

/** What the patient showed while the hub was unreachable, as the clerk picks it and the queue lists it. */
export const SHOWN_LABEL: Record<ShownDocument, typeof M.shownNotice> = {
  notice: M.shownNotice,
  portal: M.shownPortal,
  certificate: M.shownCertificate,
  legacy_card: M.shownLegacy,
};

export const SHOWN_DOCUMENTS = Object.keys(SHOWN_LABEL) as ShownDocument[];
