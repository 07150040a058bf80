import { useCallback, useState } from 'preact/hooks';
import { normalizeDigitInput } from '../../../../src/domain/digits.js';
import type { CardReader } from '../../../../src/domain/readers.js';
import { ApiError, call, OfflineError } from '../../api.js';
import type { NumberForm } from '../../components/number-fields.js';
import { pick, t } from '../../i18n.js';
import { M } from './messages.js';
import { newEntryId, type ShownDocument } from './offline-queue.js';
import { storedReader, storeReader } from './reader-setting.js';
import { rememberCard } from './recent-cards.js';
import type { CardRead, Step, TerminalActions } from './steps.js';
import { useOfflineQueue } from './use-offline-queue.js';

/**
 * The reception terminal's state machine: which step shows, and what each answer of the hub (or its
 * silence) moves it to. Any failure to reach the hub during a check leads to the offline record.
 * It owns the 基準日 too, so that every new patient starts on `today` (issue #19 §3), and the reader,
 * which every card verification names (issue #16 point 10).
 */
export function useTerminal(token: string, today: string) {
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [asOf, setAsOf] = useState(today);
  const [notice, setNotice] = useState<string | null>(null);
  const [reader, setReaderState] = useState<CardReader>(storedReader);
  const setReader = (next: CardReader) => {
    storeReader(next);
    setReaderState(next);
  };
  const offline = useOfflineQueue(token);
  const { setOnline } = offline;

  /** Runs a request of a check, noting whether the hub answered. */
  const reach = useCallback(
    async <T>(request: () => Promise<T>): Promise<T> => {
      try {
        const answer = await request();
        setOnline(true);
        return answer;
      } catch (e) {
        setOnline(!(e instanceof OfflineError));
        throw e;
      }
    },
    [setOnline],
  );

  const reset = () => {
    setNotice(null);
    setStep({ kind: 'choose' });
  };

  /** A past day set to replay a case must not carry over to the next patient. */
  const nextPatient = () => {
    setAsOf(today);
    reset();
  };

  const failed = (e: unknown, shown: ShownDocument, prefill?: Partial<NumberForm>): boolean => {
    if (e instanceof OfflineError) {
      setStep({ kind: 'offline', shown, ...(prefill ? { prefill } : {}) });
      return true;
    }
    return false;
  };

  const insert: TerminalActions['insert'] = async (method, cardId) => {
    try {
      const { challenge } = await reach(() => call('GET /api/v1/verifications/challenge', { token }));
      rememberCard(cardId);
      setStep({ kind: 'identity', method, cardId, challenge });
    } catch (e) {
      if (!failed(e, 'notice')) setStep({ kind: 'insert', method, error: e });
    }
  };

  const sign: TerminalActions['sign'] = async (from, identity, pin) => {
    // Only the card's identity travels on: `from` may be any step carrying it.
    const card: CardRead = { method: from.method, cardId: from.cardId, challenge: from.challenge };
    try {
      const signed = await reach(() =>
        call('POST /api/v1/cards/{cardId}:sign', {
          token,
          params: { cardId: from.cardId },
          body: { challenge: from.challenge, ...(pin ? { pin } : {}) },
        }),
      );
      setStep({
        kind: 'consent',
        // Only what the hub needs: the chip's answer also names the certificate serial.
        signed: { certificate: signed.certificate, signature: signed.signature, challenge: from.challenge },
        identity,
        index: 0,
        consent: { medication: false, healthCheckups: false, limitInfo: false },
      });
    } catch (e) {
      if (failed(e, 'notice')) return;
      if (e instanceof ApiError && e.code === 'CARD_PIN_WRONG') {
        setStep({ ...card, kind: 'pin', remaining: Number(e.problem.remainingTries ?? 0) });
      } else if (e instanceof ApiError && e.code === 'CARD_PIN_LOCKED') {
        setStep({ ...card, kind: 'locked', message: pick(e.problem) });
      } else if (identity === 'pin') {
        setStep({ ...card, kind: 'pin', error: e });
      } else {
        setStep({ kind: 'insert', method: card.method, error: e });
      }
    }
  };

  const verifyCard: TerminalActions['verifyCard'] = async (signed, identity, consent) => {
    setStep({ kind: 'verifying' });
    try {
      const answer = await reach(() =>
        call('POST /api/v1/verifications', {
          token,
          body: { method: 'card', asOf, card: signed, identityCheck: identity, reader, consent },
        }),
      );
      setStep({ kind: 'result', answer, asOf, today, limitConsent: consent.limitInfo });
    } catch (e) {
      if (!failed(e, 'notice')) {
        setNotice(null);
        setStep({ kind: 'insert', method: 'card', error: e });
      }
    }
  };

  const verifyNumber: TerminalActions['verifyNumber'] = async (document, form) => {
    setStep({ kind: 'verifying' });
    try {
      const answer = await reach(() =>
        call('POST /api/v1/verifications', {
          token,
          body: {
            method: 'number',
            asOf,
            document,
            insurerNumber: normalizeDigitInput(form.insurerNumber),
            symbol: form.symbol.trim(),
            number: form.number.trim(),
            ...(form.branch.trim() ? { branch: normalizeDigitInput(form.branch) } : {}),
            birthDate: form.birthDate,
          },
        }),
      );
      setStep({ kind: 'result', answer, asOf, today, limitConsent: false });
    } catch (e) {
      if (!failed(e, document, form)) setStep({ kind: 'number', document, error: e });
    }
  };

  const record: TerminalActions['record'] = (shown, form, name) => {
    offline.add({
      id: newEntryId(),
      recordedAt: new Date().toISOString(),
      asOf,
      shown,
      insurerNumber: normalizeDigitInput(form.insurerNumber),
      symbol: form.symbol.trim(),
      number: form.number.trim(),
      branch: normalizeDigitInput(form.branch),
      birthDate: form.birthDate,
      name: name.trim(),
      status: 'pending',
    });
    nextPatient();
    setNotice(t(M.recorded));
  };

  const actions: TerminalActions = { setStep, reset, nextPatient, insert, sign, verifyCard, verifyNumber, record };
  return { step, notice, actions, offline, asOf, setAsOf, reader, setReader };
}
