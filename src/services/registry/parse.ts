/**
 * Validating a notification at the edge (API batch rows, CSV rows): a zod failure becomes a coded
 * error, mapped exactly as the HTTP edge maps a body (src/http/problem.ts).
 */
import type { z } from 'zod';
import { type FieldError, type NotificationInput, notificationSchema } from '../../contract/notifications.js';
import { ERRORS, type ErrorCode, ShikakuError, VALIDATION_SPECIFICITY } from '../../domain/codes.js';

function issueCode(issue: z.core.$ZodIssue): ErrorCode {
  if (issue.code === 'custom') {
    const coded = (issue.params as { code?: string } | undefined)?.code;
    if (coded && coded in ERRORS) return coded as ErrorCode;
  }
  if (issue.code === 'unrecognized_keys') return 'VALIDATION_UNKNOWN_FIELD';
  if (issue.code === 'invalid_format' && issue.format === 'date') return 'VALIDATION_DATE';
  return 'VALIDATION_FAILED';
}

/** A zod failure as a coded error, mapped exactly as the HTTP edge maps a body (src/http/problem.ts). */
export function validationError(error: z.ZodError): ShikakuError {
  const errors: FieldError[] = error.issues.map((issue) => ({
    path: `/${issue.path.map(String).join('/')}`,
    code: issueCode(issue),
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  const code = VALIDATION_SPECIFICITY.find((c) => errors.some((e) => e.code === c)) ?? 'VALIDATION_FAILED';
  return new ShikakuError(code, { errors });
}

/** Validates one notification at the edge (API batch rows, CSV rows). Throws a coded ShikakuError. */
export function parseNotification(raw: unknown): NotificationInput {
  const parsed = notificationSchema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
