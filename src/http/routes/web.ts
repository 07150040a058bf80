import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { RouteModule } from '../kit.js';

/** The nearest folder above `from` with a package.json: this module runs from src/ and from the CLI bundle in dist/. */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) || dirname(dir) === dir) return dir;
  }
}

/** Where `npm run build:web` (vite build web) puts the screens. */
export const WEB_DIST = `${join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'web', 'dist')}/`;

/** The SPA's screen paths: each answers index.html, the client routes from there. */
export const SCREEN_PATHS = ['/', '/reception', '/console', '/portal', '/employer'] as const;

/**
 * The pages may only talk to this server; nothing inline runs, nothing frames them (the screens show
 * personal data). `blob:` lets the portal and the console hand a fetched PDF or CSV to the browser.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const MISSING_PAGE = `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shikaku — 画面が未ビルドです / screens not built</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.7">
<h1>画面がまだビルドされていません</h1>
<p><code>npm run build:web</code> を実行してから、サーバーを再起動してください（<code>npm ci</code> は自動で実行します）。</p>
<h2 lang="en">The screens are not built yet</h2>
<p lang="en">Run <code>npm run build:web</code>, then restart the server (<code>npm ci</code> runs it for you).</p>
<p>API: <a href="/docs">/docs</a></p>
</body></html>
`;

function page(reply: FastifyReply): FastifyReply {
  return reply.headers({ ...PAGE_HEADERS, 'cache-control': 'no-cache' });
}

/**
 * The web screens (issue #4) from web/dist at `/`: hashed assets are cached for good, index.html is
 * answered for every screen path (the SPA routes on the client) and never cached. Everything else,
 * /api/… above all, keeps the JSON problem+json 404 of the app. Without a build, the screen paths
 * answer a page that says how to build it.
 */
export function webRoutes(dist: string = WEB_DIST): RouteModule {
  return async (app) => {
    const built = existsSync(`${dist}index.html`);
    const screen = (path: string) => [path, ...(path === '/' ? [] : [`${path}/*`])];
    const paths = SCREEN_PATHS.flatMap(screen);
    if (!built) {
      for (const path of paths) {
        app.get(path, { schema: { hide: true } }, async (_request, reply) =>
          page(reply).code(503).type('text/html; charset=utf-8').send(MISSING_PAGE),
        );
      }
      return;
    }
    await app.register(fastifyStatic, {
      root: dist,
      prefix: '/',
      wildcard: false,
      index: false,
      schemaHide: true,
      // Ours are set in setHeaders; send's own would overwrite them with max-age=0.
      cacheControl: false,
      setHeaders: (res, path) => {
        res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.setHeader('x-content-type-options', 'nosniff');
      },
    });
    for (const path of paths) {
      app.get(path, { schema: { hide: true } }, async (_request, reply) =>
        page(reply).type('text/html; charset=utf-8').sendFile('index.html'),
      );
    }
  };
}
