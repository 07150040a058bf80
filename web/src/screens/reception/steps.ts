import type { VerificationAnswer, VerificationRequest } from '../../answers.js';
import type { NumberForm } from '../../components/number-fields.js';
import type { useFocusOnChange } from '../../ui.js';
import type { ShownDocument } from './offline-queue.js';

export type CardMethod = 'card' | 'smartphone';
export type DocumentMethod = 'certificate' | 'legacy_card';

/** How the card is verified, as the verification request carries it: the signed challenge, identity, consents. */
type CardVerification = Extract<VerificationRequest, { method: 'card' }>;
export type Signed = CardVerification['card'];
export type Identity = CardVerification['identityCheck'];
/** The terminal asks each consent: all three are always sent. */
export type Consent = Required<NonNullable<CardVerification['consent']>>;

/** The card on the reader and the challenge it is to sign: what the identity steps carry along. */
export interface CardRead {
  method: CardMethod;
  cardId: string;
  challenge: string;
}

/** The states of the reception terminal, from the choice of proof to the answer or the offline record. */
export type Step =
  | { kind: 'choose' }
  | { kind: 'insert'; method: CardMethod; error?: unknown }
  | ({ kind: 'identity' } & CardRead)
  | ({ kind: 'pin'; remaining?: number; error?: unknown } & CardRead)
  | ({ kind: 'face'; identity: 'face' | 'visual' } & CardRead)
  | ({ kind: 'locked'; message: string } & CardRead)
  | { kind: 'consent'; signed: Signed; identity: Identity; index: number; consent: Consent }
  | { kind: 'number'; document: DocumentMethod; error?: unknown }
  | { kind: 'verifying' }
  /** `today` is the terminal's day when checked: a result for another 基準日 is marked as such. */
  | { kind: 'result'; answer: VerificationAnswer; asOf: string; today: string; limitConsent: boolean }
  | { kind: 'offline'; shown: ShownDocument; prefill?: Partial<NumberForm> };

export type StepOf<K extends Step['kind']> = Extract<Step, { kind: K }>;

/** What the steps may do: move the terminal on, or ask the hub. */
export interface TerminalActions {
  setStep: (step: Step) => void;
  reset: () => void;
  /** Back to the start for the next patient, on today's 基準日. */
  nextPatient: () => void;
  insert: (method: CardMethod, cardId: string) => Promise<void>;
  sign: (from: CardRead, identity: Identity, pin?: string) => Promise<void>;
  verifyCard: (signed: Signed, identity: Identity, consent: Consent) => Promise<void>;
  verifyNumber: (document: DocumentMethod, form: NumberForm) => Promise<void>;
  record: (shown: ShownDocument, form: NumberForm, name: string) => void;
}

/** The heading each step focuses when it appears. */
export type HeadingRef = ReturnType<typeof useFocusOnChange<HTMLHeadingElement>>;

/** What every step's screen gets: its state, the heading to focus, and the terminal's actions. */
export interface StepProps<K extends Step['kind']> {
  step: StepOf<K>;
  heading: HeadingRef;
  actions: TerminalActions;
}
