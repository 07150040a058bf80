/**
 * FHIR R4 under /fhir/R4 (DESIGN.md §5.5; docs/FHIR.md): metadata, Patient, Coverage, Organization,
 * CodeSystem, AuditEvent, and CoverageEligibilityRequest (POST or $submit) answered with a
 * CoverageEligibilityResponse. Eligibility calls the very `verify` of POST /api/v1/verifications,
 * after checking the translated request with the very schema of that route, so both APIs accept,
 * refuse and decide alike. Every answer is application/fhir+json; every error an OperationOutcome.
 */

import type { Coverage, Patient, Resource } from '@medplum/fhirtypes';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { FHIR_RESPONSES } from '../../contract/fhir.js';
import { verificationRequestSchema as verificationRequest } from '../../contract/verification.js';
import { ERRORS, type ErrorCode, ShikakuError } from '../../domain/codes.js';
import { AUDIT_ACTION_SYSTEM, toAuditEvent } from '../../fhir/audit-event.js';
import { pageOf, searchSet, sorted } from '../../fhir/bundle.js';
import { capabilityStatement, challengeOperationDefinition } from '../../fhir/capability.js';
import { codeSystems } from '../../fhir/codesystems.js';
import { coverageIdentifierMatches, parseMemberIdentifier, toCoverage } from '../../fhir/coverage.js';
import { fhirPathOf, parseEligibilityRequest, toEligibilityResponse } from '../../fhir/eligibility.js';
import { acceptsJson, JSON_BODY_TYPES } from '../../fhir/format.js';
import { etagOf, historyBundle, versioned } from '../../fhir/history.js';
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
  SNAPSHOT_PARAM,
  tokenMatches,
} from '../../fhir/search.js';
import { FHIR_JSON, HL7, JP, SID } from '../../fhir/systems.js';
import type { Role } from '../../services/actor.js';
import { providerCodeOf } from '../../services/actor.js';
import { issueChallenge } from '../../services/challenges.js';
import { nowIso, type ServiceContext } from '../../services/context.js';
import { auditHead, auditPage } from '../../services/fhir-audit.js';
import {
  auditDisclosures,
  type DisclosedSnapshot,
  type Disclosure,
  findDisclosures,
  historyOf,
  membersByKey,
  snapshotOf,
  verificationRecord,
} from '../../services/fhir-disclosures.js';
import { insurersIn } from '../../services/fhir-organizations.js';
import { findInsurer } from '../../services/insurers.js';
import { ratioDateFor, verify } from '../../services/verification.js';
import { actorOf, type RouteModule, type ZodFastify } from '../kit.js';
import { safeErrorLog } from '../log-safety.js';
import { publicOrigin } from '../public-url.js';

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

/** The public base URL (for fullUrls and links): configured, else as the request came (public-url.ts). */
function baseOf(request: FastifyRequest): string {
  return `${publicOrigin(request, request.server.publicUrl)}${FHIR_BASE_PATH}`;
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
  keep?: ((s: DisclosedSnapshot) => boolean) | undefined;
}

/**
 * The disclosures a search draws from, as of its snapshot: the first page takes now, the links carry
 * it, so a verification landing between two pages shifts nothing.
 */
async function disclosedCandidates(
  ctx: ServiceContext,
  providerCode: string,
  ids: Set<string> | undefined,
  search: ParsedSearch,
): Promise<Disclosure[]> {
  const found = await findDisclosures(ctx.store.db, providerCode, ids ? [...ids] : undefined, search.snapshot);
  return sorted(found, search.result.sort, (d) => d.memberId);
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
  if (!keep) {
    return { shown: await snapshots(ctx, pageOf(candidates, search.page, search.result)), total: candidates.length };
  }
  const all = (await snapshots(ctx, candidates)).filter(keep);
  return { shown: pageOf(all, search.page, search.result), total: all.length };
}

function patientOf(s: DisclosedSnapshot): Patient {
  return versioned(toPatient(s.patient), s.version);
}

function coverageOf(s: DisclosedSnapshot): Coverage {
  return versioned(
    toCoverage(s.coverage, {
      id: s.disclosure.memberId,
      beneficiary: { reference: `Patient/${s.disclosure.memberId}`, display: s.patient.name },
      payor: insurerReference(s.insurer),
    }),
    s.version,
  );
}

/** A version's headers (FHIR http.html#versioning): ETag and Last-Modified. */
function sendVersioned(reply: FastifyReply, resource: Resource): FastifyReply {
  const meta = resource.meta;
  if (meta?.versionId) reply.header('etag', etagOf(meta.versionId));
  if (meta?.lastUpdated) reply.header('last-modified', new Date(meta.lastUpdated).toUTCString());
  return send(reply, 200, resource);
}

/** Whether every value of a parameter (repetitions AND, commas OR) matches. */
function allMatch(search: ParsedSearch, name: string, matches: (alternative: string) => boolean): boolean {
  return (search.params.get(name) ?? []).every((v) => alternatives(v).some(matches));
}

/** The Coverage filters read on the snapshot shown (記号・番号 as disclosed that day, its insurer…). */
function coverageKeep(search: ParsedSearch): ((s: DisclosedSnapshot) => boolean) | undefined {
  const names = ['identifier', 'payor', 'status', 'subscriber', 'dependent', 'type'];
  if (!names.some((n) => search.params.has(n))) return undefined;
  return (s) => {
    const c = s.coverage;
    const self = s.disclosure.memberId;
    return (
      allMatch(search, 'identifier', (v) => coverageIdentifierMatches(parseToken(v), c)) &&
      allMatch(search, 'payor', (v) => referenceId(v, 'Organization') === c.insurerNumber) &&
      allMatch(search, 'status', (v) => tokenMatches(parseToken(v), { system: HL7.fmStatus, value: 'active' })) &&
      allMatch(search, 'subscriber', (v) => c.relationship === 'insured' && referenceId(v, 'Patient') === self) &&
      // A string parameter: a case-insensitive prefix (FHIR search.html#string).
      allMatch(search, 'dependent', (v) => c.branch.toLowerCase().startsWith(v.toLowerCase())) &&
      allMatch(search, 'type', (v) => tokenMatches(parseToken(v), { system: HL7.actCode, value: 'PUBLICPOL' }))
    );
  };
}

/** The member ids a Coverage identifier search can only be about (narrows before snapshots are built). */
async function coverageIdentifierIds(ctx: ServiceContext, search: ParsedSearch): Promise<Set<string> | undefined> {
  let ids: Set<string> | undefined;
  for (const v of search.params.get('identifier') ?? []) {
    const tokens = alternatives(v).map(parseToken);
    // Only full member keys narrow; 記号 or 番号 alone (JP Core's OID forms) are checked on the snapshot.
    if (
      !tokens.every(
        (t) => t.value !== undefined && (t.system ?? JP.insuranceMemberIdSystem) === JP.insuranceMemberIdSystem,
      )
    ) {
      continue;
    }
    const members = new Set<string>();
    for (const t of tokens) {
      const key = parseMemberIdentifier(t.value as string);
      if (key) for (const m of await membersByKey(ctx.store.db, key)) members.add(m);
    }
    ids = narrow(ids, members);
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------------
// 405: a known path asked with a method it does not serve

interface KnownPath {
  pattern: RegExp;
  methods: string[];
}

/** A route URL (`/fhir/R4/Patient/:id`) as a pattern matching its paths. */
function pathPattern(url: string): RegExp {
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&').replace(/:[A-Za-z]+/gu, '[^/]+');
  return new RegExp(`^${escaped}/?$`, 'u');
}

/** The methods `path` is served with (empty for a known path served with none). */
function allowedMethods(known: readonly KnownPath[], path: string): string[] | null {
  const hits = known.filter((k) => k.pattern.test(path));
  return hits.length > 0 ? [...new Set(hits.flatMap((k) => k.methods))] : null;
}

// ---------------------------------------------------------------------------------------------------

export const fhirRoutes: RouteModule = async (app, ctx) => {
  await app.register(
    async (fhir: ZodFastify) => {
      // FHIR JSON only: any other body (XML, text/plain, a form…) is 415 before the route runs.
      fhir.removeAllContentTypeParsers();
      fhir.addContentTypeParser(
        [...JSON_BODY_TYPES],
        { parseAs: 'string' },
        fhir.getDefaultJsonParser('error', 'ignore'),
      );
      fhir.addContentTypeParser('*', (_request, _payload, done) =>
        done(new ShikakuError('MEDIA_TYPE_UNSUPPORTED'), undefined),
      );
      fhir.setErrorHandler(errorHandler);
      const known: KnownPath[] = [
        // Requests are not stored (no create): POST them to $submit.
        { pattern: pathPattern(`${FHIR_BASE_PATH}/CoverageEligibilityRequest`), methods: [] },
      ];
      fhir.addHook('onRoute', (route) => {
        known.push({ pattern: pathPattern(route.url), methods: [route.method].flat() });
      });
      fhir.setNotFoundHandler((request, reply) => {
        const path = request.url.split('?')[0] ?? '';
        const allowed = allowedMethods(known, path);
        if (allowed) {
          reply.header('allow', allowed.join(', '));
          return sendError(
            reply,
            'METHOD_NOT_ALLOWED',
            405,
            allowed.length > 0
              ? `${request.method} ${path} is not served; allowed: ${allowed.join(', ')}`
              : `${request.method} ${path} is not served: eligibility requests are not stored, POST them to ${FHIR_BASE_PATH}/CoverageEligibilityRequest/$submit`,
          );
        }
        return sendError(
          reply,
          'NOT_FOUND',
          404,
          `no such FHIR interaction: ${request.method} ${path} (see ${FHIR_BASE_PATH}/metadata)`,
        );
      });
      // Before authentication errors: a client asking for XML learns that first, in JSON.
      fhir.addHook('onRequest', async (request) => {
        const format = query(request)._format;
        if (!acceptsJson(typeof format === 'string' ? format : undefined, request.headers.accept)) {
          throw new ShikakuError('FORMAT_NOT_ACCEPTABLE');
        }
      });
      const tags = ['fhir'];

      // --- metadata, CodeSystem, OperationDefinition (public) -----------------------------------
      fhir.get(
        '/metadata',
        { schema: { tags, response: FHIR_RESPONSES, summary: 'CapabilityStatement' } },
        async (request, reply) =>
          send(reply, 200, capabilityStatement({ version: VERSION, date: nowIso(ctx), url: baseOf(request) })),
      );

      fhir.get(
        '/CodeSystem/:id',
        { schema: { tags, response: FHIR_RESPONSES, summary: 'One of our code systems' } },
        async (request, reply) => {
          const id = idParam(request, 'CodeSystem');
          const cs = codeSystems().find((c) => c.id === id);
          if (!cs) throw notFound(`CodeSystem/${id}`);
          return send(reply, 200, cs);
        },
      );
      fhir.get(
        '/CodeSystem',
        { schema: { tags, response: FHIR_RESPONSES, summary: 'Search our code systems' } },
        async (request, reply) => {
          const search = searchOf(request, 'CodeSystem');
          const ids = idsFrom(search, '_id', 'CodeSystem');
          const matching = codeSystems().filter(
            (c) => (!ids || ids.has(c.id ?? '')) && allMatch(search, 'url', (u) => u === c.url),
          );
          return sendSortedPage(reply, request, 'CodeSystem', search, matching);
        },
      );
      fhir.get(
        '/OperationDefinition/:id',
        { schema: { tags, response: FHIR_RESPONSES, summary: 'Our operations' } },
        async (request, reply) => {
          const id = idParam(request, 'OperationDefinition');
          const op = challengeOperationDefinition();
          if (op.id !== id) throw notFound(`OperationDefinition/${id}`);
          return send(reply, 200, op);
        },
      );

      // --- Organization (any role: associations are public bodies) ------------------------------
      fhir.get(
        '/Organization/:id',
        {
          config: { roles: ALL_ROLES },
          schema: { tags, response: FHIR_RESPONSES, summary: 'An association (id = 保険者番号)' },
        },
        async (request, reply) => {
          const id = idParam(request, 'Organization');
          const insurer = await findInsurer(ctx.store.db, id);
          if (!insurer) throw notFound(`Organization/${id}`);
          return send(reply, 200, toOrganization(insurer));
        },
      );
      fhir.get(
        '/Organization',
        {
          config: { roles: ALL_ROLES },
          schema: { tags, response: FHIR_RESPONSES, summary: 'Search associations by 保険者番号' },
        },
        async (request, reply) => {
          const search = searchOf(request, 'Organization');
          let ids = idsFrom(search, '_id', 'Organization');
          for (const v of search.params.get('identifier') ?? []) {
            const tokens = alternatives(v).map(parseToken);
            const matching = tokens
              .filter((t) => t.system === undefined || t.system === JP.insurerNumberSystem)
              .map((t) => t.value)
              .filter((x): x is string => x !== undefined);
            ids = narrow(ids, matching);
          }
          const found = (await insurersIn(ctx.store.db, ids)).map(toOrganization);
          return sendSortedPage(reply, request, 'Organization', search, found);
        },
      );

      // --- Patient and Coverage (provider: only what a verification disclosed to it) -------------
      /** The member's versions as disclosed to the caller, newest first; 404 when nothing was. */
      const disclosedVersions = async (request: FastifyRequest, type: 'Patient' | 'Coverage') => {
        const id = idParam(request, type);
        const [d] = await findDisclosures(ctx.store.db, providerCodeOf(actorOf(request)), [id]);
        const versions = d ? await historyOf(ctx.store.db, d) : [];
        if (versions.length > 0) return versions;
        // A member without recorded versions: its one state, unversioned.
        const s = d ? await snapshotOf(ctx.store.db, d) : null;
        if (!s) throw notFound(`${type}/${id}`);
        return [s];
      };
      const toResource: Record<'Patient' | 'Coverage', (s: DisclosedSnapshot) => Resource> = {
        Patient: patientOf,
        Coverage: coverageOf,
      };
      for (const type of ['Patient', 'Coverage'] as const) {
        const roles: Role[] = ['provider'];
        fhir.get(
          `/${type}/:id`,
          {
            config: { roles },
            schema: {
              tags,
              response: FHIR_RESPONSES,
              summary: `A ${type} disclosed to this provider (its latest version)`,
            },
          },
          async (request, reply) => {
            const [s] = await disclosedVersions(request, type);
            if (!s) throw notFound(type);
            await auditDisclosures(ctx, actorOf(request), [s], { resourceType: type, interaction: 'read' });
            return sendVersioned(reply, toResource[type](s));
          },
        );
        fhir.get(
          `/${type}/:id/_history/:vid`,
          {
            config: { roles },
            schema: { tags, response: FHIR_RESPONSES, summary: `One version of a ${type} disclosed to this provider` },
          },
          async (request, reply) => {
            const versions = await disclosedVersions(request, type);
            const vid = (request.params as { vid?: string }).vid ?? '';
            const s = versions.find((v) => v.version?.versionId === vid);
            if (!s) throw notFound(`${type}/${versions[0]?.disclosure.memberId ?? ''}/_history/${vid}`);
            await auditDisclosures(ctx, actorOf(request), [s], { resourceType: type, interaction: 'vread' });
            return sendVersioned(reply, toResource[type](s));
          },
        );
        fhir.get(
          `/${type}/:id/_history`,
          {
            config: { roles },
            schema: {
              tags,
              response: FHIR_RESPONSES,
              summary: `The versions of a ${type} disclosed to this provider, newest first`,
            },
          },
          async (request, reply) => {
            const unknown = Object.keys(query(request)).filter((k) => !['_format', '_pretty'].includes(k));
            if (unknown.length > 0) {
              throw invalidRequest(
                unknown.map((name) => ({
                  code: 'VALIDATION_UNKNOWN_FIELD' as const,
                  expression: name,
                  ja: `履歴の取得では使えないパラメータです: ${name}`,
                  en: `unsupported parameter for _history: ${name}`,
                })),
              );
            }
            const versions = await disclosedVersions(request, type);
            const [latest] = versions;
            if (latest) {
              await auditDisclosures(ctx, actorOf(request), [latest], {
                resourceType: type,
                interaction: 'history-instance',
              });
            }
            return send(reply, 200, historyBundle(versions.map(toResource[type]), baseOf(request)));
          },
        );
      }
      fhir.get(
        '/Patient',
        {
          config: { roles: ['provider'] },
          schema: { tags, response: FHIR_RESPONSES, summary: 'Search patients disclosed to this provider' },
        },
        async (request, reply) => {
          const actor = actorOf(request);
          const search = searchOf(request, 'Patient', nowIso(ctx));
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
          const candidates = await disclosedCandidates(ctx, providerCodeOf(actor), ids, search);
          const keep = search.params.has('birthdate')
            ? (s: DisclosedSnapshot) => allMatch(search, 'birthdate', (b) => dateMatches(s.patient.birthDate, b))
            : undefined;
          const result = await runDisclosedSearch(ctx, { candidates, keep }, search);
          await auditDisclosures(ctx, actor, result.shown, { resourceType: 'Patient', interaction: 'search-type' });
          return send(
            reply,
            200,
            searchSet(result.shown.map(patientOf), result.total, bundleOptions(request, 'Patient', search)),
          );
        },
      );
      fhir.get(
        '/Coverage',
        {
          config: { roles: ['provider'] },
          schema: {
            tags,
            response: FHIR_RESPONSES,
            summary: 'Search qualifications disclosed to this provider (identifier = 保険者番号:記号:番号:枝番)',
          },
        },
        async (request, reply) => {
          const actor = actorOf(request);
          const search = searchOf(request, 'Coverage', nowIso(ctx));
          let ids = idsFrom(search, '_id', 'Coverage');
          for (const name of ['beneficiary', 'patient'] as const) {
            const named = idsFrom(search, name, 'Patient');
            if (named) ids = narrow(ids, named);
          }
          const byKey = await coverageIdentifierIds(ctx, search);
          if (byKey) ids = narrow(ids, byKey);
          const candidates = await disclosedCandidates(ctx, providerCodeOf(actor), ids, search);
          const result = await runDisclosedSearch(ctx, { candidates, keep: coverageKeep(search) }, search);
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
        schema: { tags, response: FHIR_RESPONSES, summary },
      });
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
        {
          config: { roles: ['admin', 'operator'] },
          schema: { tags, response: FHIR_RESPONSES, summary: 'One audit record' },
        },
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
          schema: { tags, response: FHIR_RESPONSES, summary: `The audit trail (type system ${AUDIT_ACTION_SYSTEM})` },
        },
        async (request, reply) => {
          const search = searchOf(request, 'AuditEvent');
          const ids = idsFrom(search, '_id', 'AuditEvent');
          const patients = idsFrom(search, 'patient', 'Patient');
          // The snapshot is the newest record at the first page: later records do not shift the pages.
          const upTo = search.snapshot !== undefined ? Number(search.snapshot) : await auditHead(ctx.store.db);
          const { rows, total } = await auditPage(
            ctx.store.db,
            actorOf(request),
            {
              seqs: ids ? [...ids].filter((i) => /^\d{1,15}$/u.test(i)).map(Number) : undefined,
              memberIds: patients ? [...patients] : undefined,
              dates: search.params.get('date'),
              actions: tokenValues(search, 'type', AUDIT_ACTION_SYSTEM),
              kinds: tokenValues(search, 'action', HL7.auditEventAction)?.filter(
                (k): k is 'R' | 'E' => k === 'R' || k === 'E',
              ),
              upTo: Number.isSafeInteger(upTo) ? upTo : -1,
            },
            search.page,
            search.result,
          );
          return send(
            reply,
            200,
            searchSet(rows.map(toAuditEvent), total, {
              ...bundleOptions(request, 'AuditEvent', search),
              snapshot: [SNAPSHOT_PARAM, String(upTo)],
            }),
          );
        },
      );
    },
    { prefix: FHIR_BASE_PATH },
  );
};

/** The values a token parameter names in `system` (repetitions AND, commas OR); undefined if absent. */
function tokenValues(search: ParsedSearch, name: string, system: string): string[] | undefined {
  let values: string[] | undefined;
  for (const v of search.params.get(name) ?? []) {
    const named = alternatives(v)
      .map(parseToken)
      .filter((t) => t.system === undefined || t.system === system)
      .map((t) => t.value)
      .filter((x): x is string => x !== undefined);
    values = values === undefined ? named : values.filter((x) => named.includes(x));
  }
  return values;
}

/**
 * A search of `type` as the request asks it; `Prefer: handling=lenient` drops unserved result
 * parameters. `snapshot` (taken before the search runs) is its cursor when the links carry none.
 */
function searchOf(request: FastifyRequest, type: SearchableType, snapshot?: string): ParsedSearch {
  const prefer = request.headers.prefer;
  const lenient = /(?:^|[\s,;])handling\s*=\s*lenient\b/iu.test(
    Array.isArray(prefer) ? prefer.join(',') : (prefer ?? ''),
  );
  const search = parseSearch(type, query(request), { lenient });
  return { ...search, snapshot: search.snapshot ?? snapshot };
}

/** The Bundle links of a search, with its snapshot when it has one. */
/** A searchset of resources read whole: sorted as `_sort` asks (by id otherwise), the page asked for. */
function sendSortedPage(
  reply: FastifyReply,
  request: FastifyRequest,
  type: SearchableType,
  search: ParsedSearch,
  found: Resource[],
): FastifyReply {
  const all = sorted(found, search.result.sort, (r) => r.id ?? '');
  return send(
    reply,
    200,
    searchSet(pageOf(all, search.page, search.result), all.length, bundleOptions(request, type, search)),
  );
}

function bundleOptions(request: FastifyRequest, type: SearchableType, search: ParsedSearch) {
  return {
    base: baseOf(request),
    type,
    params: search.echo,
    page: search.page,
    result: search.result,
    ...(search.snapshot !== undefined ? { snapshot: [SNAPSHOT_PARAM, search.snapshot] as const } : {}),
  };
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
