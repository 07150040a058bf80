/**
 * The OQS endpoint beside /api/v1/verifications (issue #15): the same number queries (document
 * `notice`, limit consent, as the OQS service asks `verify`), once through the JSON API and once as
 * OQS XmlMsg envelopes, in process and over HTTP. Runs alternate (A B A B) so that drift of the
 * machine falls on both sides. The OQS side costs the decision plus reading and writing the
 * envelope and one more hub read (address and the insured's name).
 */
import { performance } from 'node:perf_hooks';
// The app first: the route module of the JSON API imports it back (a cycle that app.ts resolves).
import '../src/http/app.js';
import { verificationAnswerSchema, verificationRequestSchema } from '../src/contract/verification.js';
import { encodeMessage } from '../src/oqs/envelope.js';
import { systemActor } from '../src/services/actor.js';
import type { ServiceContext } from '../src/services/context.js';
import { oqsSearch } from '../src/services/oqs.js';
import { type NumberVerificationRequest, type VerificationRequest, verify } from '../src/services/verification.js';

export const OQS_PATH = '/oqs-api-pro/MSA01030/ILI01030SV01/search';

/** The number requests of a workload, as the OQS service asks them (document notice, limit consent). */
export function asNotice(list: readonly VerificationRequest[]): NumberVerificationRequest[] {
  return list
    .filter((r): r is NumberVerificationRequest => r.method === 'number')
    .map((r) => ({ ...r, document: 'notice', consent: { limitInfo: true } }));
}

/** The OQS envelope of the same query. */
export function oqsEnvelope(r: NumberVerificationRequest, providerCode: string): object {
  return {
    XmlMsg: {
      MessageHeader: {
        QualificationConfirmationDate: (r.asOf ?? '').replaceAll('-', ''),
        MedicalInstitutionCode: providerCode,
      },
      MessageBody: {
        QualificationConfirmSearchInfo: {
          InsurerNumber: r.insurerNumber,
          InsuredCardSymbol: r.symbol,
          InsuredIdentificationNumber: r.number,
          ...(r.branch !== undefined ? { InsuredBranchNumber: r.branch } : {}),
          Birthdate: r.birthDate.replaceAll('-', ''),
          LimitApplicationCertificateRelatedConsFlg: '1',
        },
      },
    },
  };
}

async function run(concurrency: number, ms: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const deadline = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) await work(next++);
    }),
  );
  return next / ((performance.now() - started) / 1000);
}

export interface Pair {
  verify: number;
  oqs: number;
}

/**
 * The JSON API's work without HTTP (read and validate the body, verify, check and write the answer,
 * as fastify-type-provider-zod does) vs the OQS route's (read the envelope, verify, the extra hub
 * read, write the envelope), queries/s, `concurrency` in flight.
 */
export async function oqsInProcess(
  ctx: ServiceContext,
  list: readonly NumberVerificationRequest[],
  providerCode: string,
  seconds: number,
  concurrency = 32,
): Promise<Pair> {
  const actor = systemActor('provider', { providerCode });
  const bodies = list.map((r) => JSON.stringify(oqsEnvelope(r, providerCode)));
  const jsonBodies = list.map((r) => Buffer.from(JSON.stringify(r)));
  const half = (seconds * 1000) / 4;
  const a = async (i: number) => {
    const request = verificationRequestSchema.parse(
      JSON.parse((jsonBodies[i % jsonBodies.length] as Buffer).toString()),
    );
    return JSON.stringify(verificationAnswerSchema.parse(await verify(ctx, actor, request)));
  };
  const b = async (i: number) => {
    const reply = await oqsSearch(ctx, actor, { format: 'json', body: Buffer.from(bodies[i % bodies.length] ?? '') });
    return encodeMessage(reply.message, 'json').bytes;
  };
  const rates = [await run(concurrency, half, a), await run(concurrency, half, b)];
  rates.push(await run(concurrency, half, a), await run(concurrency, half, b));
  return { verify: ((rates[0] ?? 0) + (rates[2] ?? 0)) / 2, oqs: ((rates[1] ?? 0) + (rates[3] ?? 0)) / 2 };
}

/** The same over HTTP (Node's fetch, keep-alive), `connections` in flight, against a running server. */
export async function oqsHttp(
  url: string,
  token: string,
  list: readonly NumberVerificationRequest[],
  providerCode: string,
  seconds: number,
  connections = 16,
): Promise<Pair> {
  const verifyBodies = list.map((r) => JSON.stringify(r));
  const oqsBodies = list.map((r) => JSON.stringify(oqsEnvelope(r, providerCode)));
  const post = (path: string, body: string) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    }).then(async (r) => {
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
    });
  const a = (i: number) => post('/api/v1/verifications', verifyBodies[i % verifyBodies.length] ?? '');
  const b = (i: number) => post(OQS_PATH, oqsBodies[i % oqsBodies.length] ?? '');
  await run(connections, 1_000, a);
  await run(connections, 1_000, b);
  const half = (seconds * 1000) / 4;
  const rates = [await run(connections, half, a), await run(connections, half, b)];
  rates.push(await run(connections, half, a), await run(connections, half, b));
  return { verify: ((rates[0] ?? 0) + (rates[2] ?? 0)) / 2, oqs: ((rates[1] ?? 0) + (rates[3] ?? 0)) / 2 };
}
