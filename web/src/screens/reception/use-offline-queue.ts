import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { VerificationAnswer } from '../../answers.js';
import { ApiError, call, OfflineError } from '../../api.js';
import { documentFor, loadQueue, type QueueEntry, saveQueue } from './offline-queue.js';

/**
 * The offline queue as the terminal lives it: whether the hub answers, what was registered while it
 * did not, and the re-check of each entry for the day of its visit once it answers again.
 */
export function useOfflineQueue(token: string) {
  const [online, setOnline] = useState(true);
  const [queue, setQueue] = useState<QueueEntry[]>(loadQueue);

  const updateQueue = useCallback((next: QueueEntry[]) => {
    saveQueue(next);
    setQueue(next);
  }, []);

  const busy = useRef(false);
  const recheck = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      let current = loadQueue();
      const pending = current.filter((e) => e.status === 'pending');
      if (pending.length === 0) {
        if (!online)
          await call('GET /healthz').then(
            () => setOnline(true),
            () => setOnline(false),
          );
        return;
      }
      for (const entry of pending) {
        let answer: VerificationAnswer;
        try {
          answer = await call('POST /api/v1/verifications', {
            token,
            body: {
              method: 'number',
              asOf: entry.asOf,
              document: documentFor(entry.shown),
              insurerNumber: entry.insurerNumber,
              symbol: entry.symbol,
              number: entry.number,
              ...(entry.branch ? { branch: entry.branch } : {}),
              birthDate: entry.birthDate,
            },
          });
        } catch (e) {
          if (e instanceof OfflineError) {
            setOnline(false);
            return;
          }
          // A refused request (bad numbers typed while offline) cannot be confirmed: flag it.
          const problem = e instanceof ApiError ? e.problem : null;
          answer = {
            outcome: 'not_found',
            reasons: problem ? [{ code: problem.code, ja: problem.ja, en: problem.en }] : [],
            fallbacks: [],
            qualification: null,
            verificationId: '',
          };
        }
        setOnline(true);
        current = loadQueue().map((q) =>
          q.id === entry.id
            ? {
                ...q,
                status: answer.outcome === 'eligible' ? 'confirmed' : 'flagged',
                checkedAt: new Date().toISOString(),
                outcome: answer.outcome,
                reasons: answer.reasons,
                fallbacks: answer.fallbacks,
                verificationId: answer.verificationId,
              }
            : q,
        );
        updateQueue(current);
      }
    } finally {
      busy.current = false;
    }
  }, [token, online, updateQueue]);

  useEffect(() => {
    const timer = setInterval(() => void recheck(), 3000);
    const onOnline = () => void recheck();
    window.addEventListener('online', onOnline);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', onOnline);
    };
  }, [recheck]);

  const add = (entry: QueueEntry) => updateQueue([...loadQueue(), entry]);
  const clearConfirmed = () => updateQueue(queue.filter((e) => e.status !== 'confirmed'));

  return { online, setOnline, queue, add, clearConfirmed, recheck };
}
