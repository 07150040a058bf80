/**
 * The card stand-in (issue #2 item 5; DESIGN.md §2 card model, §5.3). Other code uses this module
 * only through what is exported here:
 * - `inspectPresentedCard`: what the hub learns from a presented certificate + signed challenge;
 * - `CardSimulator` (via `cardSimulator`): issue, sign, register, cancel, renew, revoke, return,
 *   invalidate. The database-backed simulator is the only implementation; a real card-reader or
 *   J-LIS integration would implement the same interface and be returned by `cardSimulator`.
 */
import type { ServiceContext } from '../services/context.js';
import { type CardChangeListener, type CardSimulator, databaseCardSimulator } from './simulator.js';

export { CA_COMMON_NAME, type CaMaterial, caFromMaterial, generateCa, type LocalCa, loadLocalCa } from './ca.js';
export {
  type CertificateIssuer,
  certificateFingerprint,
  issueUserCertificate,
  SIGNATURE_DIGEST,
  signChallenge,
  type UserCertificate,
  verifyChallengeSignature,
} from './certificates.js';
export {
  type CardInspection,
  type CardView,
  describeCard,
  inspectPresentedCard,
  type PresentedCard,
} from './inspect.js';
export { isValidPin, PIN_MAX_TRIES } from './pin.js';
export type { CardKind, CardStatus, RegistrationChannel } from './records.js';
export {
  type CardChange,
  type CardChangeAction,
  type CardChangeListener,
  type CardSimulator,
  databaseCardSimulator,
  type EndedCard,
  type IssueCardRequest,
  type IssuedCard,
  type RegistrationRecord,
  type RenewedCertificate,
  type RevokedCertificates,
  type SignedChallenge,
  type SignRequest,
} from './simulator.js';

/** The card simulator services use; `onChange` runs inside each change's transaction (audit). */
export function cardSimulator(ctx: ServiceContext, onChange?: CardChangeListener): CardSimulator {
  return databaseCardSimulator(ctx, onChange);
}
