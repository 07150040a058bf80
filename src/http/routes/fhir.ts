/**
 * FHIR R4 under /fhir/R4 (DESIGN.md §5.5; docs/FHIR.md): metadata, Patient, Coverage, Organization,
 * CodeSystem, AuditEvent, and CoverageEligibilityRequest (POST or $submit) answered with a
 * CoverageEligibilityResponse. Eligibility calls the very `verify` of POST /api/v1/verifications,
 * after checking the translated request with the very schema of that route, so both APIs accept,
 * refuse and decide alike. Every answer is application/fhir+json; every error an OperationOutcome.
 */

import type { Resource } from '@medplum/fhirtypes';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { verificationRequestSchema as verificationRequest } from '../../contract/verification.js';
import { ERRORS, type ErrorCode, ShikakuError } from '../../domain/codes.js';
import { AUDIT_ACTION_SYSTEM, toAuditEvent } from '../../fhir/audit-event.js';
import { pageOf, searchSet } from '../../fhir/bundle.js';
import { capabilityStatement, challengeOperationDefinition } from '../../fhir/capability.js';
import { codeSystems } from '../../fhir/codesystems.js';
import { type MemberKey, parseMemberIdentifier, toCoverage } from '../../fhir/coverage.js';
import { fhirPathOf, parseEligibilityRequest, toEligibilityResponse } from '../../fhir/eligibility.js';
import { acceptsJson, JSON_BODY_TYPES, REFUSED_BODY_TYPES } from '../../fhir/format.js';
import { type FhirIssue, invalidRequest, operationOutcome, outcomeFromError } from '../../fhir/operation-outcome.js';
import { insurerReference, toOrganization } from '../../fhir/organization.js';
import { toPatient } from '../../fhir/patient.js';
import {
  alternatives,
  dateMatches,
  type ParsedSearch,
  parseSearch,
  parseToken,
  referenceId,
  type SearchableType,
  tokenMatches,
} from '../../fhir/search.js';
import { FHIR_JSON, JP, SID } from '../../fhir/systems.js';
import type { Role } from '../../services/actor.js';
import { providerCodeOf } from '../../services/actor.js';
import { issueChallenge } from '../../services/challenges.js';
import { nowIso, type ServiceContext } from '../../services/context.js';
import { auditPage } from '../../services/fhir-audit.js';
import {
  auditDisclosures,
  type DisclosedSnapshot,
  type Disclosure,
  findDisclosures,
  membersByKey,
  snapshotOf,
  verificationRecord,
} from '../../services/fhir-disclosures.js';
import { insurersIn } from '../../services/fhir-organizations.js';
import { findInsurer } from '../../services/insurers.js';
import { ratioDateFor, verify } from '../../services/verification.js';
import { actorOf, type RouteModule, type ZodFastify } from '../kit.js';
import { safeErrorLog } from '../log-safety.js';

export const FHIR_BASE_PATH = '/fhir/R4';

const ALL_ROLES: Role[] = ['operator', 'admin', 'employer', 'provider', 'member'];
const ID = /^[A-Za-z0-9\-.]{1,64}$/u;
const VERSION = '0.1.0';

function send(reply: FastifyReply, status: number, resource: Resource): FastifyReply {
  return reply.code(status).type(FHIR_JSON).send(resource);
}

function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  status: number = ERRORS[code].status,
  en?: string,
): FastifyReply {
  return send(reply, status, operationOutcome([{ code, ...(en ? { en } : {}) }]));
}

function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ShikakuError) return send(reply, error.status, outcomeFromError(error));
  if (hasZodFastifySchemaValidationErrors(error)) return sendError(reply, 'VALIDATION_FAILED', 400, error.message);
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, 'MEDIA_TYPE_UNSUPPORTED');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 'VALIDATION_FAILED', 400, 'the body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 'BODY_TOO_LARGE');
  }
  if (typeof error.statusCode === 'number' && error.statusCode < 500) {
    return sendError(reply, 'VALIDATION_FAILED', error.statusCode, error.message);
  }
  request.log.error({ error: safeErrorLog(error) }, 'unhandled error');
  return sendError(reply, 'INTERNAL');
}

function notFound(what: string): ShikakuError {
  return new ShikakuError('NOT_FOUND', undefined, { ja: `${what}は見つかりません`, en: `${what} is not found` });
}

/** The base URL the client reached us by (for Bundle fullUrls and links). */
function baseOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${FHIR_BASE_PATH}`;
}

function idParam(request: FastifyRequest, type: string): string {
  const id = (request.params as { id?: string }).id ?? '';
  if (!ID.test(id)) throw notFound(`${type}/${id}`);
  return id;
}

function query(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

/** Intersects id sets across repeated parameters (AND); undefined = no constraint yet. */
function narrow(current: Set<string> | undefined, ids: Iterable<string>): Set<string> {
  const next = new Set(ids);
  if (current === undefined) return next;
  return new Set([...current].filter((id) => next.has(id)));
}

/** Ids named by an id or reference parameter (each repetition ANDed, commas ORed). */
function idsFrom(search: ParsedSearch, name: string, type: string): Set<string> | undefined {
  let ids: Set<string> | undefined;
  for (const v of search.params.get(name) ?? []) {
    ids = narrow(
      ids,
      alternatives(v)
        .map((a) => referenceId(a, type))
        .filter((a): a is string => a !== null),
    );
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------------
// Disclosed Patient and Coverage (role provider)

interface DisclosedSearch {
  candidates: Disclosure[];
  keep?: (s: DisclosedSnapshot) => boolean;
}

async function disclosedPage(ctx: ServiceContext, providerCode: string, ids: Set<string> | undefined) {
  const candidates = await findDisclosures(ctx.store.db, providerCode, ids ? [...ids] : undefined);
  return { candidates } satisfies DisclosedSearch;
}

async function snapshots(ctx: ServiceContext, disclosures: readonly Disclosure[]): Promise<DisclosedSnapshot[]> {
  const out: DisclosedSnapshot[] = [];
  for (const d of disclosures) {
    const s = await snapshotOf(ctx.store.db, d);
    if (s) out.push(s);
  }
  return out;
}

/**
 * Runs a disclosed search: filters that need the snapshot (`keep`) are applied to every candidate;
 * otherwise only the page shown is built. Only what is shown is audited.
 */
async function runDisclosedSearch(
  ctx: ServiceContext,
  { candidates, keep }: DisclosedSearch,
  search: ParsedSearch,
): Promise<{ shown: DisclosedSnapshot[]; total: number }> {
  if (!keep) return { shown: await snapshots(ctx, pageOf(candidates, search.page)), total: candidates.length };
  const all = (await snapshots(ctx, candidates)).filter(keep);
  return { shown: pageOf(all, search.page), total: all.length };
}

function coverageOf(s: DisclosedSnapshot) {
  return toCoverage(s.coverage, {
    id: s.disclosure.memberId,
    beneficiary: { reference: `Patient/${s.disclosure.memberId}`, display: s.patient.name },
    payor: insurerReference(s.insurer),
  });
}

// ---------------------------------------------------------------------------------------------------

export const fhirRoutes: RouteModule = async (app, ctx) => {
  await app.register(
    async (fhir: ZodFastify) => {
      fhir.addContentTypeParser(
        [...JSON_BODY_TYPES],
        { parseAs: 'string' },
        fhir.getDefaultJsonParser('error', 'ignore'),
      );
      fhir.addContentTypeParser([...REFUSED_BODY_TYPES], (_request, _payload, done) =>
        done(new ShikakuError('MEDIA_TYPE_UNSUPPORTED'), undefined),
      );
      fhir.setErrorHandler(errorHandler);
      fhir.setNotFoundHandler((request, reply) =>
        send(
          reply,
          404,
          operationOutcome([
            {
              code: 'NOT_FOUND',
              en: `no such FHIR interaction: ${request.method} ${request.url.split('?')[0]} (see ${FHIR_BASE_PATH}/metadata)`,
            },
          ]),
        ),
      );
      // Before authentication errors: a client asking for XML learns that first, in JSON.
      fhir.addHook('onRequest', async (request) => {
        const format = query(request)._format;
        if (!acceptsJson(typeof format === 'string' ? format : undefined, request.headers.accept)) {
          throw new ShikakuError('FORMAT_NOT_ACCEPTABLE');
        }
      });
      const tags = ['fhir'];

      // --- metadata, CodeSystem, OperationDefinition (public) -----------------------------------
      fhir.get('/metadata', { schema: { tags, summary: 'CapabilityStatement' } }, async (request, reply) =>
        send(reply, 200, capabilityStatement({ version: VERSION, date: nowIso(ctx), url: baseOf(request) })),
      );

      fhir.get('/CodeSystem/:id', { schema: { tags, summary: 'One of our code systems' } }, async (request, reply) => {
        const id = idParam(request, 'CodeSystem');
        const cs = codeSystems().find((c) => c.id === id);
        if (!cs) throw notFound(`CodeSystem/${id}`);
        return send(reply, 200, cs);
      });
      fhir.get('/CodeSystem', { schema: { tags, summary: 'Search our code systems' } }, async (request, reply) => {
        const search = parseSearch('CodeSystem', query(request));
        const ids = idsFrom(search, '_id', 'CodeSystem');
        const urls = search.params.get('url');
        const all = codeSystems().filter(
          (c) => (!ids || ids.has(c.id ?? '')) && (!urls || urls.every((u) => alternatives(u).includes(c.url ?? ''))),
        );
        return send(
          reply,
          200,
          searchSet(pageOf(all, search.page), all.length, bundleOptions(request, 'CodeSystem', search)),
        );
      });
      fhir.get('/OperationDefinition/:id', { schema: { tags, summary: 'Our operations' } }, async (request, reply) => {
        const id = idParam(request, 'OperationDefinition');
        const op = challengeOperationDefinition();
        if (op.id !== id) throw notFound(`OperationDefinition/${id}`);
        return send(reply, 200, op);
      });

      // --- Organization (any role: associations are public bodies) ------------------------------
      fhir.get(
        '/Organization/:id',
        { config: { roles: ALL_ROLES }, schema: { tags, summary: 'An association (id = 保険者番号)' } },
        async (request, reply) => {
          const id = idParam(request, 'Organization');
          const insurer = await findInsurer(ctx.store.db, id);
          if (!insurer) throw notFound(`Organization/${id}`);
          return send(reply, 200, toOrganization(insurer));
        },
      );
      fhir.get(
        '/Organization',
        { config: { roles: ALL_ROLES }, schema: { tags, summary: 'Search associations by 保険者番号' } },
        async (request, reply) => {
          const search = parseSearch('Organization', query(request));
          let ids = idsFrom(search, '_id', 'Organization');
          for (const v of search.params.get('identifier') ?? []) {
            const tokens = alternatives(v).map(parseToken);
            const matching = tokens
              .filter((t) => t.system === undefined || t.system === JP.insurerNumberSystem)
              .map((t) => t.value)
              .filter((x): x is string => x !== undefined);
            ids = narrow(ids, matching);
          }
          const all = (await insurersIn(ctx.store.db, ids)).map(toOrganization);
          return send(
            reply,
            200,
            searchSet(pageOf(all, search.page), all.length, bundleOptions(request, 'Organization', search)),
          );
        },
      );

      // --- Patient and Coverage (provider: only what a verification disclosed to it) -------------
      fhir.get(
        '/Patient/:id',
        { config: { roles: ['provider'] }, schema: { tags, summary: 'A patient disclosed to this provider' } },
        async (request, reply) => {
          const actor = actorOf(request);
          const id = idParam(request, 'Patient');
          const [d] = await findDisclosures(ctx.store.db, providerCodeOf(actor), [id]);
          const s = d ? await snapshotOf(ctx.store.db, d) : null;
          if (!s) throw notFound(`Patient/${id}`);
          await auditDisclosures(ctx, actor, [s], { resourceType: 'Patient', interaction: 'read' });
          return send(reply, 200, toPatient(s.patient));
        },
      );
      fhir.get(
        '/Patient',
        { config: { roles: ['provider'] }, schema: { tags, summary: 'Search patients disclosed to this provider' } },
        async (request, reply) => {
          const actor = actorOf(request);
          const search = parseSearch('Patient', query(request));
          let ids = idsFrom(search, '_id', 'Patient');
          for (const v of search.params.get('identifier') ?? []) {
            const tokens = alternatives(v).map(parseToken);
            // `system|` alone names every patient (all carry the member identifier): no constraint.
            if (tokens.some((t) => t.system === SID.member && t.value === undefined)) continue;
            ids = narrow(
              ids,
              tokens
                .filter((t) => t.value !== undefined && tokenMatches(t, { system: SID.member, value: t.value }))
                .map((t) => t.value as string),
            );
          }
          const found = await disclosedPage(ctx, providerCodeOf(actor), ids);
          const birthdates = search.params.get('birthdate');
          const result = await runDisclosedSearch(
            ctx,
            birthdates
              ? { ...found, keep: (s) => birthdates.every((b) => dateMatches(s.patient.birthDate, b)) }
              : found,
            search,
          );
          await auditDisclosures(ctx, actor, result.shown, { resourceType: 'Patient', interaction: 'search-type' });
          return send(
            reply,
            200,
            searchSet(
              result.shown.map((s) => toPatient(s.patient)),
              result.total,
              bundleOptions(request, 'Patient', search),
            ),
          );
        },
      );
      fhir.get(
        '/Coverage/:id',
        { config: { roles: ['provider'] }, schema: { tags, summary: 'A qualification disclosed to this provider' } },
        async (request, reply) => {
          const actor = actorOf(request);
          const id = idParam(request, 'Coverage');
          const [d] = await findDisclosures(ctx.store.db, providerCodeOf(actor), [id]);
          const s = d ? await snapshotOf(ctx.store.db, d) : null;
          if (!s) throw notFound(`Coverage/${id}`);
          await auditDisclosures(ctx, actor, [s], { resourceType: 'Coverage', interaction: 'read' });
          return send(reply, 200, coverageOf(s));
        },
      );
      fhir.get(
        '/Coverage',
        {
          config: { roles: ['provider'] },
          schema: {
            tags,
            summary: 'Search qualifications disclosed to this provider (identifier = 保険者番号:記号:番号:枝番)',
          },
        },
        async (request, reply) => {
          const actor = actorOf(request);
          const search = parseSearch('Coverage', query(request));
          let ids = idsFrom(search, '_id', 'Coverage');
          for (const name of ['beneficiary', 'patient'] as const) {
            const named = idsFrom(search, name, 'Patient');
            if (named) ids = narrow(ids, named);
          }
          const keys: Array<Array<MemberKey | null>> = [];
          for (const v of search.params.get('identifier') ?? []) {
            const tokens = alternatives(v).map(parseToken);
            if (tokens.some((t) => t.system === JP.insuranceMemberIdSystem && t.value === undefined)) continue;
            const parsed = tokens
              .filter((t) => t.system === undefined || t.system === JP.insuranceMemberIdSystem)
              .map((t) => (t.value === undefined ? null : parseMemberIdentifier(t.value)));
            keys.push(parsed);
            const members = new Set<string>();
            for (const k of parsed) if (k) for (const m of await membersByKey(ctx.store.db, k)) members.add(m);
            ids = narrow(ids, members);
          }
          const found = await disclosedPage(ctx, providerCodeOf(actor), ids);
          // The key must also be that of the snapshot shown (記号・番号 as disclosed that day).
          const keep =
            keys.length > 0
              ? (s: DisclosedSnapshot) =>
                  keys.every((alts) =>
                    alts.some(
                      (k) =>
                        k !== null &&
                        k.insurerNumber === s.coverage.insurerNumber &&
                        k.symbol === s.coverage.symbol &&
                        k.number === s.coverage.number &&
                        (k.branch === undefined || k.branch === s.coverage.branch),
                    ),
                  )
              : undefined;
          const result = await runDisclosedSearch(ctx, keep ? { ...found, keep } : found, search);
          await auditDisclosures(ctx, actor, result.shown, { resourceType: 'Coverage', interaction: 'search-type' });
          return send(
            reply,
            200,
            searchSet(result.shown.map(coverageOf), result.total, bundleOptions(request, 'Coverage', search)),
          );
        },
      );

      // --- Eligibility (provider) ----------------------------------------------------------------
      const eligibility = async (request: FastifyRequest, reply: FastifyReply) => {
        const actor = actorOf(request);
        const providerCode = providerCodeOf(actor);
        const parsed = parseEligibilityRequest(request.body);
        // The JSON API's own schema: the same values are accepted and refused with the same codes.
        const checked = verificationRequest.safeParse(parsed.request);
        if (!checked.success) throw invalidRequest(checked.error.issues.map(issueOfZod));
        const answer = await verify(ctx, actor, checked.data);
        const record = await verificationRecord(ctx.store.db, answer.verificationId);
        const q = answer.qualification;
        const ratioDate = q && record.memberId ? ratioDateFor({ ...q, memberId: record.memberId }, record.asOf) : null;
        return send(
          reply,
          200,
          toEligibilityResponse({
            answer,
            echo: parsed.echo,
            memberId: record.memberId,
            asOf: record.asOf,
            ratioDate,
            created: nowIso(ctx),
            providerCode,
          }),
        );
      };
      const eligibilityOptions = (summary: string) => ({
        config: { roles: ['provider'] as Role[] },
        schema: { tags, summary },
      });
      fhir.post(
        '/CoverageEligibilityRequest',
        eligibilityOptions('Check eligibility: answered with a CoverageEligibilityResponse'),
        eligibility,
      );
      fhir.post(
        '/CoverageEligibilityRequest/$submit',
        eligibilityOptions('$submit: a request, a Parameters(resource) or a Bundle → CoverageEligibilityResponse'),
        eligibility,
      );
      fhir.post(
        '/CoverageEligibilityRequest/$challenge',
        eligibilityOptions('$challenge: a fresh challenge for the card to sign (single use, 5 minutes)'),
        async (request, reply) => {
          const issued = await issueChallenge(ctx, actorOf(request));
          return send(reply, 200, {
            resourceType: 'Parameters',
            parameter: [
              { name: 'challenge', valueBase64Binary: issued.challenge },
              { name: 'expiresAt', valueInstant: issued.expiresAt },
            ],
          });
        },
      );

      // --- AuditEvent (admin: its association; operator: all) ------------------------------------
      fhir.get(
        '/AuditEvent/:id',
        { config: { roles: ['admin', 'operator'] }, schema: { tags, summary: 'One audit record' } },
        async (request, reply) => {
          const id = idParam(request, 'AuditEvent');
          const seq = /^\d{1,15}$/u.test(id) ? Number(id) : -1;
          const { rows } = await auditPage(ctx.store.db, actorOf(request), { seqs: [seq] }, { count: 1, offset: 0 });
          const row = rows[0];
          if (!row) throw notFound(`AuditEvent/${id}`);
          return send(reply, 200, toAuditEvent(row));
        },
      );
      fhir.get(
        '/AuditEvent',
        {
          config: { roles: ['admin', 'operator'] },
          schema: { tags, summary: `The audit trail (type system ${AUDIT_ACTION_SYSTEM})` },
        },
        async (request, reply) => {
          const search = parseSearch('AuditEvent', query(request));
          const ids = idsFrom(search, '_id', 'AuditEvent');
          const patients = idsFrom(search, 'patient', 'Patient');
          const { rows, total } = await auditPage(
            ctx.store.db,
            actorOf(request),
            {
              seqs: ids ? [...ids].filter((i) => /^\d{1,15}$/u.test(i)).map(Number) : undefined,
              memberIds: patients ? [...patients] : undefined,
              dates: search.params.get('date'),
            },
            search.page,
          );
          return send(
            reply,
            200,
            searchSet(rows.map(toAuditEvent), total, bundleOptions(request, 'AuditEvent', search)),
          );
        },
      );
    },
    { prefix: FHIR_BASE_PATH },
  );
};

function bundleOptions(request: FastifyRequest, type: SearchableType, search: ParsedSearch) {
  return { base: baseOf(request), type, params: search.echo, page: search.page };
}

/** A JSON-schema issue as an OperationOutcome issue: the same codes as problem.ts gives them. */
function issueOfZod(issue: {
  code: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
  params?: Record<string, unknown> | undefined;
  keys?: string[] | undefined;
}): FhirIssue {
  const coded = issue.params?.code;
  const code: ErrorCode =
    typeof coded === 'string' && coded in ERRORS
      ? (coded as ErrorCode)
      : issue.code === 'unrecognized_keys'
        ? 'VALIDATION_UNKNOWN_FIELD'
        : 'VALIDATION_FAILED';
  const field = issue.path.map(String).join('.');
  return {
    code,
    expression: fhirPathOf(issue.path),
    ja: `${ERRORS[code].ja}（${field}）`,
    en: `${field}: ${issue.message}`,
  };
}
