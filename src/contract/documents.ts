import { z } from 'zod';

/**
 * A PDF answer (certificate, お知らせ, the portal's screen): binary `application/pdf` in the OpenAPI
 * document. The reply sends a Buffer, which Fastify writes as is, so the schema never parses it.
 */
export const pdfAnswerSchema = z.unknown().meta({
  description: 'A PDF document (download, never cached)',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
});
