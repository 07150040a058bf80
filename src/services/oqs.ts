/**
 * The OQS-compatible query (issue #15; docs/OQS.md): a request in the national protocol (XmlMsg,
 * JSON or XML) is read by src/oqs, answered by the same `verify` as /api/v1/verifications (so the
 * decision, the `verifications` row and the audit record are the same), and written back in the
 * protocol. The registry adds only what OQS shows and our answer type does not carry: the address
 * and the insured's name, as the hub knew them on the day (one query, only when a qualification is
 * disclosed).
 */
import type { Kysely } from 'kysely';
import { ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import { answerBody, type ExtraFacts, errorMessage, type HeaderFields, message, messageHeader } from '../oqs/answer.js';
import { CHARACTER_CODE, type OqsError, REFERENCE_CLASSIFICATION, SEGMENT_OF_RESULT } from '../oqs/codes.js';
import {
  decodeXmlBytes,
  type OqsCharset,
  type OqsFormat,
  type OqsNode,
  parseJsonMessage,
  parseXmlMessage,
} from '../oqs/envelope.js';
import {
  envelopeOf,
  type PartialHeader,
  parseHeader,
  parseSearchInfo,
  partialHeaderOf,
  type RequestHeader,
  type SearchInfo,
} from '../oqs/request.js';
import type { Database } from '../store/schema.js';
import { type Actor, requireRole } from './actor.js';
import { type ServiceContext, today } from './context.js';
import { hubEntriesByNumber } from './hub.js';
import { type VerificationAnswer, type VerificationRequest, verify } from './verification.js';

/** An answer in the protocol: the HTTP status, the message and how to encode it. */
export interface OqsReply {
  status: number;
  message: OqsNode;
  /** Shift_JIS when the request asked for it (CharacterCodeIdentifier 1) or came in it. */
  charset: OqsCharset;
}

/** A request body as received: bytes (XML, or JSON not yet parsed) or parsed JSON. */
export interface OqsInput {
  format: OqsFormat;
  body: unknown;
}

/** The message tree of a body, and the charset it came in. */
export function readInput(input: OqsInput): { tree: OqsNode | null; charset: OqsCharset } {
  if (input.format === 'json') return { tree: parseJsonMessage(input.body), charset: 'utf8' };
  const bytes = Buffer.isBuffer(input.body) ? input.body : Buffer.from(String(input.body ?? ''), 'utf8');
  const { text, charset } = decodeXmlBytes(bytes);
  return { tree: parseXmlMessage(text), charset };
}

/** The provider's code; the route's roles already admit providers only. */
export function providerCodeOf(actor: Actor): string {
  requireRole(actor, 'provider');
  if (!actor.providerCode) throw new ShikakuError('FORBIDDEN', { scope: 'provider' });
  return actor.providerCode;
}

/** CharacterCode of a message in this charset. */
export function characterCodeOf(charset: OqsCharset): '0' | '1' {
  return charset === 'sjis' ? CHARACTER_CODE.shiftJis : CHARACTER_CODE.utf8;
}

export function headerFieldsOf(
  ctx: ServiceContext,
  header: PartialHeader | RequestHeader,
  referenceClassification: '1' | '2',
  characterCode: '0' | '1',
): HeaderFields {
  return {
    processedAt: ctx.clock.now(),
    confirmationDate: header.confirmationDate,
    institutionCode: header.institutionCode,
    arbitraryFileIdentifier: header.arbitraryFileIdentifier,
    referenceClassification,
    characterCode,
  };
}

/**
 * The address and the insured's name of the disclosed member, as the hub knew them on `asOf`: the
 * member's own registration (one indexed read by 記号・番号・枝番); for a dependent, the household's.
 */
export async function extraFactsOf(
  db: Kysely<Database>,
  answer: VerificationAnswer,
  asOf: IsoDate,
): Promise<ExtraFacts> {
  const q = answer.qualification;
  if (!q) return { address: null, insuredName: null };
  const key = { insurerNumber: q.insurerNumber, symbol: q.symbol, number: q.number };
  if (q.relationship === 'insured') {
    const own = await hubEntriesByNumber(db, { ...key, branch: q.branch }, asOf);
    const self = own.find((e) => e.facts?.birthDate === q.birthDate)?.facts;
    return { address: self?.address ?? null, insuredName: self?.name ?? q.name };
  }
  const household = await hubEntriesByNumber(db, key, asOf);
  const self = household.find((e) => e.facts?.branch === q.branch && e.facts.birthDate === q.birthDate)?.facts;
  const insured =
    household.find((e) => e.memberId === self?.insuredMemberId)?.facts ??
    household.find((e) => e.facts?.relationship === 'insured')?.facts;
  return { address: self?.address ?? null, insuredName: insured?.name ?? null };
}

/** The verification request behind one OQS query by 記号・番号. */
export function verificationRequestOf(info: SearchInfo, asOf: IsoDate): VerificationRequest {
  return {
    method: 'number',
    asOf,
    // OQS answers from the hub's data for the 記号・番号 given, whatever document shows it: the
    // お知らせ path is the one that checks no document (src/domain/verification.ts).
    document: 'notice',
    insurerNumber: info.insurerNumber,
    symbol: info.symbol,
    number: info.number,
    branch: info.branch,
    birthDate: info.birthDate,
    // 特定疾病 data comes with the limit consent in our answer; OQS asks for it apart, so either
    // consent fetches it and the writer shows each part only under its own flag.
    consent: { limitInfo: info.limitConsent || info.diseaseConsent },
  };
}

/** Answers one query (bulk items too): verify, then the body in the protocol. */
export async function answerSearch(
  ctx: ServiceContext,
  actor: Actor,
  asOf: IsoDate,
  info: SearchInfo,
): Promise<OqsNode> {
  const answer = await verify(ctx, actor, verificationRequestOf(info, asOf));
  return answerBody(answer, {
    asOf,
    echo: info.echo,
    limitConsent: info.limitConsent,
    diseaseConsent: info.diseaseConsent,
    consentAt: ctx.clock.now(),
    extra: await extraFactsOf(ctx.store.db, answer, asOf),
  });
}

/** A protocol error answer for a request whose header could be read only in part. */
export function errorReply(
  ctx: ServiceContext,
  status: number,
  header: PartialHeader,
  charset: OqsCharset,
  error: OqsError,
  referenceClassification: '1' | '2' = REFERENCE_CLASSIFICATION.number,
  echo?: OqsNode,
): OqsReply {
  const fields = headerFieldsOf(ctx, header, referenceClassification, characterCodeOf(charset));
  return { status, charset, message: errorMessage(fields, error, echo) };
}

/** A 200 reply by 記号・番号 with SegmentOfResult 1 (正常) and this body. */
export function normalReply(ctx: ServiceContext, header: PartialHeader, charset: OqsCharset, body: OqsNode): OqsReply {
  const fields = headerFieldsOf(ctx, header, REFERENCE_CLASSIFICATION.number, characterCodeOf(charset));
  return { status: 200, charset, message: message(messageHeader(fields, SEGMENT_OF_RESULT.normal), body) };
}

/** The header of a request, checked, including that MedicalInstitutionCode is the caller's. */
export function checkedHeader(
  ctx: ServiceContext,
  actor: Actor,
  tree: OqsNode | null,
  requestCharset: OqsCharset,
): { ok: true; header: RequestHeader; body: OqsNode; charset: OqsCharset } | { ok: false; reply: OqsReply } {
  const partial = partialHeaderOf(tree);
  const charset: OqsCharset = partial.characterCode === '1' || requestCharset === 'sjis' ? 'sjis' : 'utf8';
  const envelope = envelopeOf(tree);
  if (!envelope.ok) return { ok: false, reply: errorReply(ctx, 400, partial, charset, envelope.error) };
  const header = parseHeader(envelope.value.header);
  if (!header.ok) return { ok: false, reply: errorReply(ctx, 200, partial, charset, header.error) };
  if (header.value.institutionCode !== providerCodeOf(actor)) {
    return {
      ok: false,
      reply: errorReply(ctx, 403, partial, charset, {
        code: 'OQS_INSTITUTION_MISMATCH',
        element: 'MessageHeader/MedicalInstitutionCode',
      }),
    };
  }
  return { ok: true, header: header.value, body: envelope.value.body, charset };
}

/**
 * POST /oqs-api-pro/MSA01030/ILI01030SV01/search: one query by 記号・番号 (照会区分 2). Request
 * errors come back in the envelope (SegmentOfResult 9): HTTP 400 when the body is not an XmlMsg at
 * all, 403 when MedicalInstitutionCode is not the caller's, 200 otherwise.
 */
export async function oqsSearch(ctx: ServiceContext, actor: Actor, input: OqsInput): Promise<OqsReply> {
  const { tree, charset: requestCharset } = readInput(input);
  const checked = checkedHeader(ctx, actor, tree, requestCharset);
  if (!checked.ok) return checked.reply;
  const { header, body, charset } = checked;
  const info = parseSearchInfo(
    typeof body.QualificationConfirmSearchInfo === 'object' && !Array.isArray(body.QualificationConfirmSearchInfo)
      ? body.QualificationConfirmSearchInfo
      : undefined,
  );
  if (!info.ok) return errorReply(ctx, 200, header, charset, info.error);
  const answered = await answerSearch(ctx, actor, header.confirmationDate, info.value);
  return normalReply(ctx, header, charset, answered);
}

/**
 * Any verification (card: ReferenceClassification 1, or by number: 2) answered as the OQS message:
 * POST /api/v1/verifications:oqs takes the body of POST /api/v1/verifications. The card's answer has
 * no QualificationConfirmSearchInfo to echo; limit and 特定疾病 data follow consent.limitInfo.
 */
export async function oqsVerification(
  ctx: ServiceContext,
  actor: Actor,
  request: VerificationRequest,
  options: { arbitraryFileIdentifier?: string | undefined; charset?: OqsCharset } = {},
): Promise<OqsReply> {
  const providerCode = providerCodeOf(actor);
  const day = request.asOf ?? today(ctx);
  const answer = await verify(ctx, actor, { ...request, asOf: day });
  const consent = request.consent?.limitInfo === true;
  const body = answerBody(answer, {
    asOf: day,
    limitConsent: consent,
    diseaseConsent: consent,
    consentAt: ctx.clock.now(),
    extra: await extraFactsOf(ctx.store.db, answer, day),
  });
  const charset = options.charset ?? 'utf8';
  const header = messageHeader(
    {
      processedAt: ctx.clock.now(),
      confirmationDate: day,
      institutionCode: providerCode,
      arbitraryFileIdentifier: options.arbitraryFileIdentifier,
      referenceClassification:
        request.method === 'card' ? REFERENCE_CLASSIFICATION.card : REFERENCE_CLASSIFICATION.number,
      characterCode: characterCodeOf(charset),
    },
    SEGMENT_OF_RESULT.normal,
  );
  return { status: 200, charset, message: message(header, body) };
}
