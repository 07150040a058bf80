/**
 * The OQS-compatible interface (issue #15; docs/OQS.md): clinic systems talk to Shikaku as they talk
 * to the オンライン資格確認等システム. JSON or XML in, the same in the answer (Accept overrides), and
 * every request error in the protocol's envelope (src/services/oqs.ts). Registered in its own
 * encapsulated scope: the XML and raw-JSON body parsers apply to these routes only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { problem } from '../../contract/common.js';
import {
  oqsAnswer,
  oqsBulkAnswer,
  oqsBulkRequest,
  oqsSearchRequest,
  oqsVerificationQuery,
  receptionParams,
} from '../../contract/oqs.js';
import { verificationRequestSchema } from '../../contract/verification.js';
import { encodeMessage, type OqsFormat } from '../../oqs/envelope.js';
import type { Actor } from '../../services/actor.js';
import type { ServiceContext } from '../../services/context.js';
import { type OqsInput, type OqsReply, oqsSearch, oqsVerification } from '../../services/oqs.js';
import { fetchBulk, postBulk } from '../../services/oqs-bulk.js';
import { actorOf, type RouteModule } from '../kit.js';

export const OQS_SEARCH_PATH = '/oqs-api-pro/MSA01030/ILI01030SV01/search';
export const OQS_BULK_PATH = '/oqs-api-pro/bulk';

const XML_TYPES = ['application/xml', 'text/xml'];

function isXml(type: string | undefined): boolean {
  const t = (type ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return XML_TYPES.includes(t) || t.endsWith('+xml');
}

/** The request's format: XML by Content-Type, or (neither JSON nor XML declared) by a leading `<`. */
function requestFormat(request: FastifyRequest): OqsFormat {
  const type = request.headers['content-type'];
  if (isXml(type)) return 'xml';
  if (/json/i.test(type ?? '')) return 'json';
  const body = request.body;
  // text/plain arrives as a string (Fastify's own parser), anything else as bytes.
  const raw = Buffer.isBuffer(body)
    ? body.subarray(0, 64).toString('latin1')
    : typeof body === 'string'
      ? body.slice(0, 64)
      : '';
  const head = raw.replace(/^(\uFEFF|\xEF\xBB\xBF)/, '').trimStart();
  return head.startsWith('<') ? 'xml' : 'json';
}

/** The answer's format: Accept when it names one, else the request's. */
function answerFormat(request: FastifyRequest, requestFormat: OqsFormat): OqsFormat {
  const accept = (request.headers.accept ?? '').toLowerCase();
  if (accept.includes('application/xml') || accept.includes('text/xml')) return 'xml';
  if (accept.includes('application/json')) return 'json';
  return requestFormat;
}

function send(reply: FastifyReply, answer: OqsReply, format: OqsFormat): FastifyReply {
  const { bytes, contentType } = encodeMessage(answer.message, format, answer.charset);
  return reply.code(answer.status).type(contentType).send(bytes);
}

/** The body is read by the service, not validated by the schema (errors go in the envelope). */
const passThrough = () => (data: unknown) => ({ value: data });

const errors = { 401: problem, 403: problem };
const envelopeDoc = (s: string) => `${s}. Answers JSON or XML (Accept, else the request's Content-Type).`;

export const oqsRoutes: RouteModule = async (app, ctx) => {
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    // Raw bytes for both: XML may be Shift_JIS, and malformed JSON must get an envelope, not a problem.
    scope.removeContentTypeParser(['application/json']);
    scope.addContentTypeParser(['application/json', ...XML_TYPES], { parseAs: 'buffer' }, (_req, body, done) =>
      done(null, body),
    );
    scope.addContentTypeParser(/^.*\+xml$/, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    // Any other (or no) Content-Type: read by its first character, so the answer is still the envelope.
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    // An envelope route: the body is read in the format it came in, and answered in the one asked for.
    const envelopeRoute = (
      url: string,
      summary: string,
      body: z.ZodType,
      answer: z.ZodType,
      run: (ctx: ServiceContext, actor: Actor, input: OqsInput) => Promise<OqsReply>,
    ) =>
      scope.post(
        url,
        {
          config: { roles: ['provider'] },
          validatorCompiler: passThrough,
          schema: {
            tags: ['oqs'],
            summary: envelopeDoc(summary),
            body,
            response: { 200: answer, 400: answer, ...errors },
          },
        },
        async (request, reply) => {
          const format = requestFormat(request);
          const answer = await run(ctx, actorOf(request), { format, body: request.body });
          return send(reply, answer, answerFormat(request, format));
        },
      );
    envelopeRoute(
      OQS_SEARCH_PATH,
      'OQS 資格確認 by 記号・番号 (照会区分 2), the national Web API path',
      oqsSearchRequest,
      oqsAnswer,
      oqsSearch,
    );
    envelopeRoute(
      OQS_BULK_PATH,
      'OQS 一括照会: queue up to 1,000 queries for a day; answers the ReceptionNumber',
      oqsBulkRequest,
      oqsBulkAnswer,
      postBulk,
    );

    scope.get(
      `${OQS_BULK_PATH}/:receptionNumber`,
      {
        config: { roles: ['provider'] },
        schema: {
          tags: ['oqs'],
          summary: 'OQS 一括照会 results: SegmentOfResult 2 while in progress, 1 with every BulkConfirmUnit',
          params: receptionParams,
          response: { 200: oqsBulkAnswer, 404: oqsBulkAnswer, ...errors },
        },
      },
      async (request, reply) => {
        const answer = await fetchBulk(ctx, actorOf(request), request.params.receptionNumber);
        return send(reply, answer, answerFormat(request, 'json'));
      },
    );
  });

  // On the app itself: the JSON API's body, parsed and validated as for POST /api/v1/verifications.
  app.post(
    '/api/v1/verifications::oqs',
    {
      config: { roles: ['provider'] },
      schema: {
        tags: ['oqs'],
        summary:
          'A verification (card: ReferenceClassification 1, or by number) answered as the OQS XmlMsg (JSON, or XML with Accept: application/xml)',
        body: verificationRequestSchema,
        querystring: oqsVerificationQuery,
        response: { 200: oqsAnswer, 400: problem, ...errors },
      },
    },
    async (request, reply) => {
      const format = answerFormat(request, 'json');
      const answer = await oqsVerification(ctx, actorOf(request), request.body, {
        arbitraryFileIdentifier: request.query.ArbitraryFileIdentifier,
        charset: format === 'xml' && request.query.CharacterCodeIdentifier === '1' ? 'sjis' : 'utf8',
      });
      return send(reply, answer, format);
    },
  );
};
