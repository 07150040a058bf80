import { useState } from 'preact/hooks';

/**
 * A request sent from a form: whether it runs, its answer and its error. Each run clears the last
 * answer and error first; `handled` may take an error away from the form (an expired session).
 */
export function useSubmission<T>(handled?: (e: unknown) => boolean) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<T | null>(null);
  const run = async (work: () => Promise<T>, then?: (answer: T) => unknown) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const answer = await work();
      setResult(answer);
      await then?.(answer);
    } catch (e) {
      if (!handled?.(e)) setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, result, setResult, run };
}
