import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERRORS, type ErrorCode, ShikakuError, VALIDATION_SPECIFICITY } from '../domain/codes.js';
import { maskMyNumbersDeep } from '../domain/text.js';
import { safeErrorLog } from './log-safety.js';

/** RFC 9457 problem details with our stable `code` and both languages. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  ja: string;
  en: string;
  detail?: string;
  errors?: Array<{ path: string; code: string; message: string }>;
  [extra: string]: unknown;
}

export function problemOf(code: ErrorCode, extra: Partial<Problem> = {}): Problem {
  const def = ERRORS[code];
  return { type: 'about:blank', title: def.en, status: def.status, code, ja: def.ja, en: def.en, ...extra };
}

export function problemFromError(error: ShikakuError): Problem {
  return problemOf(error.code, {
    ja: error.ja,
    en: error.message,
    ...(error.details ? { details: error.details } : {}),
  });
}

/** Maps one validation issue to its stable code: a coded refinement, an unknown field, or shape. */
function issueCode(keyword: string, params: Record<string, unknown>): ErrorCode {
  const coded = (params.params as { code?: string } | undefined)?.code;
  if (coded && coded in ERRORS) return coded as ErrorCode;
  if (keyword === 'unrecognized_keys') return 'VALIDATION_UNKNOWN_FIELD';
  if (keyword === 'invalid_format' && params.format === 'date') return 'VALIDATION_DATE';
  return 'VALIDATION_FAILED';
}

export function problemFromValidation(
  validation: Array<{ keyword: string; instancePath: string; message?: string; params: Record<string, unknown> }>,
  context: string,
): Problem {
  const errors = validation.map((v) => ({
    path: `${context}${v.instancePath}`,
    code: issueCode(v.keyword, v.params),
    message:
      v.keyword === 'unrecognized_keys'
        ? `unknown field(s): ${(v.params.keys as string[] | undefined)?.join(', ') ?? ''}`
        : (v.message ?? 'invalid'),
  }));
  const code = VALIDATION_SPECIFICITY.find((c) => errors.some((e) => e.code === c)) ?? 'VALIDATION_FAILED';
  return problemOf(code, { errors });
}

/** Every problem leaves here: a My Number echoed by any message or detail is masked (issue #19 §4). */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(maskMyNumbersDeep(problem));
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ShikakuError) return sendProblem(reply, problemFromError(error));
  if (hasZodFastifySchemaValidationErrors(error)) {
    return sendProblem(reply, problemFromValidation(error.validation, error.validationContext ?? 'body'));
  }
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return sendProblem(reply, problemOf('VALIDATION_FAILED', { detail: 'the body is not valid JSON' }));
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendProblem(reply, problemOf('BODY_TOO_LARGE'));
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendProblem(reply, problemOf('VALIDATION_FAILED', { status: 415, detail: 'unsupported content type' }));
  }
  if (typeof error.statusCode === 'number' && error.statusCode < 500) {
    return sendProblem(reply, problemOf('VALIDATION_FAILED', { status: error.statusCode, detail: error.message }));
  }
  request.log.error({ error: safeErrorLog(error) }, 'unhandled error');
  return sendProblem(reply, problemOf('INTERNAL'));
}

/**
 * `?asOf=a&asOf=b` on a JSON API route: refused with QUERY_PARAMETER_REPEATED rather than read as an
 * array some schemas refuse vaguely and others might take (issue #19 §6). A preValidation hook.
 */
export async function refuseRepeatedQueryKeys(request: FastifyRequest): Promise<void> {
  const q = request.url.indexOf('?');
  if (q < 0 || !request.url.startsWith('/api/')) return;
  const seen = new Set<string>();
  for (const key of new URLSearchParams(request.url.slice(q + 1)).keys()) {
    if (seen.has(key)) {
      throw new ShikakuError(
        'QUERY_PARAMETER_REPEATED',
        { parameter: key },
        {
          ja: `「${key}」は1回だけ指定してください`,
          en: `give ${key} once`,
        },
      );
    }
    seen.add(key);
  }
}
