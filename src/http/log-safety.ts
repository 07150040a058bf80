/**
 * What an error or a path may put in the log (DESIGN.md §1: operators see logs without personal
 * data). An unhandled error's message may quote anything it was handed (a driver repeating a value,
 * `JSON.parse` quoting its input, a thrown template string), so the message is scrubbed to its
 * shape, and only the stack frames (code locations) are kept.
 */
import { maskMyNumbers } from '../domain/text.js';

const MAX_MESSAGE = 200;
const MAX_FRAMES = 12;

/**
 * The message with its data removed: quoted text, non-ASCII text (names, kana, addresses), runs of
 * 4 or more digits (My Numbers, numbers, dates), long opaque strings (tokens, keys, hashes) and
 * e-mail addresses. What is left says which kind of failure it was.
 */
export function scrubMessage(message: string): string {
  return message
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '"…"')
    .replace(/[^\x20-\x7E]+(?:\s+[^\x20-\x7E]+)*/g, '…')
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '…@…')
    .replace(/[A-Za-z0-9+/_=-]{20,}/g, '…')
    .replace(/\d[\d\-/: ]{2,}\d/g, '#')
    .slice(0, MAX_MESSAGE);
}

/** The stack frames only (`at fn (file:line:col)`): the first line repeats the message. */
export function stackFrames(stack: string | undefined): string[] {
  if (!stack) return [];
  return stack
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at '))
    .slice(0, MAX_FRAMES);
}

/** The fields an unhandled error is logged with: its kind, code, scrubbed message and frames. */
export function safeErrorLog(error: { name?: string; message?: string; code?: string; stack?: string }): {
  type: string;
  code: string | undefined;
  message: string;
  frames: string[];
} {
  return {
    type: typeof error.name === 'string' ? error.name.replace(/[^\w.]/g, '') : 'Error',
    code: typeof error.code === 'string' ? error.code.replace(/[^\w.-]/g, '') : undefined,
    message: scrubMessage(String(error.message ?? '')),
    frames: stackFrames(error.stack),
  };
}

/**
 * A request path as logged: a My Number-shaped run (also with separators or full-width digits) and
 * percent-encoded non-ASCII text (a name) are masked. Ids (UUIDs) and codes stay readable.
 */
export function loggablePath(path: string): string {
  return maskMyNumbers(path.replace(/(?<!\d)\d{12,}(?!\d)/g, '#')).replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) =>
    /%[89A-Fa-f]/.test(run) ? '…' : run,
  );
}
