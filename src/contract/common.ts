import { z } from 'zod';
import { EARLIEST_DATE, isJudgeableDate, LATEST_DATE } from '../domain/date-bounds.js';
import { isIsoDate } from '../domain/dates.js';
import { isValidInsurerNumber } from '../domain/insurer-number.js';
import { isValidMyNumber } from '../domain/mynumber.js';
import { forbiddenCharacter, normalizeIdentifier } from '../domain/text.js';

/**
 * Building blocks for request schemas. A failing check carries the stable code it maps to in
 * `params.code`, so one mapper turns any validation failure into the right problem+json code.
 */
export const isoDate = z
  .string()
  .refine(isIsoDate, {
    message: 'expected a real date written YYYY-MM-DD',
    params: { code: 'VALIDATION_DATE' },
    abort: true,
  })
  .refine(isJudgeableDate, {
    message: `the rules judge dates from ${EARLIEST_DATE} to ${LATEST_DATE} (${EARLIEST_DATE}〜${LATEST_DATE}の日付のみ判定できます)`,
    params: { code: 'DATE_OUT_OF_RANGE' },
  })
  .meta({ format: 'date', example: '2025-12-02' });

/**
 * Any text a person types: control (NUL, ESC …), zero-width and bidi characters are refused before
 * anything else (TEXT_FORBIDDEN_CHARACTER), so no two look-alike values are stored. `prose` (names,
 * addresses) allows the tabs and line breaks its normaliser folds into a space.
 */
export function plainText(kind: 'identifier' | 'prose' = 'identifier') {
  return z.string().check((ctx) => {
    const found = forbiddenCharacter(ctx.value, kind);
    if (found === null) return;
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `forbidden character ${found}: control, zero-width or bidi (制御文字・ゼロ幅文字・書字方向制御文字)`,
      params: { code: 'TEXT_FORBIDDEN_CHARACTER' },
    });
  });
}

/** An identifier: plain text, then NFKC and trimmed — the one normalisation of the API and the CSV. */
function identifier() {
  return plainText().transform(normalizeIdentifier);
}

export const insurerNumber = identifier()
  .pipe(
    z
      .string()
      .regex(/^\d{8}$/, 'expected 8 digits')
      .refine(isValidInsurerNumber, {
        message: 'insurer number check digit is wrong',
        params: { code: 'INSURER_NUMBER_CHECK_DIGIT' },
      }),
  )
  .meta({ example: '06139992' });

export const myNumber = z
  .string()
  .regex(/^\d{12}$/, 'expected 12 digits')
  .refine(isValidMyNumber, { message: 'My Number check digit is wrong', params: { code: 'MYNUMBER_CHECK_DIGIT' } })
  .meta({ example: '123456789018' });

export const providerCode = z
  .string()
  .regex(/^\d{10}$/, 'expected 10 digits')
  .meta({ example: '1311234566' });

export const sex = z.enum(['male', 'female']);
export const relationship = z.enum(['insured', 'dependent']);
/**
 * 記号 and 番号 are short (RULES.md §1): a valid My Number typed there is refused rather than stored
 * and echoed in every answer that names the member (issue #19 §4).
 */
const notMyNumber = z
  .string()
  .min(1)
  .max(20)
  .refine((v) => !isValidMyNumber(v.replace(/\D/g, '')), {
    message: 'this is a My Number: it does not belong here (個人番号は入力できません)',
  });
export const symbol = identifier().pipe(notMyNumber);
export const memberNumber = identifier().pipe(notMyNumber);
export const branch = identifier().pipe(z.string().regex(/^\d{2}$/, 'expected 2 digits'));

export const codedMessage = z.object({ code: z.string(), ja: z.string(), en: z.string() });

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    code: z.string(),
    ja: z.string(),
    en: z.string(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .passthrough();

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
};
