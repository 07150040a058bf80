/**
 * The API client of the screens. A request that cannot reach the server (network down, server gone)
 * throws OfflineError, so the reception terminal can switch to its offline mode; an answered error
 * throws ApiError with the problem+json code and both messages.
 */
import type { PdfFile } from './answers.js';
import type { Endpoint, Endpoints, FileEndpoint, JsonEndpoint } from './endpoints.js';

export class OfflineError extends Error {
  constructor() {
    super('offline');
    this.name = 'OfflineError';
  }
}

export interface Problem {
  status: number;
  code: string;
  ja: string;
  en: string;
  detail?: string;
  errors?: Array<{ path: string; code: string; message: string }>;
  remainingTries?: number;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.en);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get code(): string {
    return this.problem.code;
  }
  get status(): number {
    return this.problem.status;
  }
}

interface RequestOptions {
  method: string;
  token?: string | null | undefined;
  body?: unknown;
  /** Sent as is with this content type (CSV upload). */
  text?: { body: string | Blob; type: string } | undefined;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Blob | undefined;
  if (options.text) {
    headers['content-type'] = options.text.type;
    body = options.text.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method: options.method, headers, body });
  } catch {
    throw new OfflineError();
  }
  // A proxy or a stopped server answers 502–504: as good as offline for the reception terminal.
  if (response.status >= 502 && response.status <= 504) throw new OfflineError();
  if (!response.ok) {
    let problem: Problem;
    try {
      problem = (await response.json()) as Problem;
    } catch {
      problem = {
        status: response.status,
        code: 'HTTP_ERROR',
        ja: `エラー (${response.status})`,
        en: `Error (${response.status})`,
      };
    }
    throw new ApiError({ ...problem, status: response.status });
  }
  return response;
}

/** What a call sends besides the token: the endpoint's params, query, body or text, as the table says. */
export type CallOptions<K extends Endpoint> = Omit<Endpoints[K], 'answer'> & { token?: string | null | undefined };

/** Options may be left out when the endpoint needs none. */
type CallArgs<K extends Endpoint> =
  object extends Omit<Endpoints[K], 'answer'> ? [options?: CallOptions<K>] : [options: CallOptions<K>];

interface LooseOptions {
  token?: string | null | undefined;
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: unknown;
  text?: { body: string | Blob; type: string };
}

/** The method and the URL of an endpoint with its path parameters and query filled in. */
function request(endpoint: Endpoint, options: LooseOptions): { method: string; url: string } {
  const space = endpoint.indexOf(' ');
  const method = endpoint.slice(0, space);
  const path = endpoint
    .slice(space + 1)
    .replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? ''));
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) query.set(key, value);
  const search = query.toString();
  return { method, url: search ? `${path}?${search}` : path };
}

/** Calls a JSON endpoint; the answer's type is the endpoint's in the table. */
export async function call<K extends JsonEndpoint>(endpoint: K, ...args: CallArgs<K>): Promise<Endpoints[K]['answer']> {
  const options: LooseOptions = args[0] ?? {};
  const { method, url } = request(endpoint, options);
  const response = await send(url, { method, token: options.token, body: options.body, text: options.text });
  return (await response.json()) as Endpoints[K]['answer'];
}

/** Calls a file endpoint (PDF): the Blob, with the file name from Content-Disposition when given. */
export async function callFile<K extends FileEndpoint>(endpoint: K, ...args: CallArgs<K>): Promise<PdfFile> {
  const options: LooseOptions = args[0] ?? {};
  const { method, url } = request(endpoint, options);
  const response = await send(url, { method, token: options.token });
  const disposition = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const filename = star?.[1] ? decodeURIComponent(star[1]) : (plain?.[1] ?? null);
  return { blob: await response.blob(), filename };
}

/** Offers a Blob as a download (the browser's save dialog or download bar). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Tokens live in sessionStorage, one per screen: closing the tab forgets them. */
export function storedToken(screen: string): string | null {
  try {
    return sessionStorage.getItem(`shikaku.token.${screen}`);
  } catch {
    return null;
  }
}

export function storeToken(screen: string, token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(`shikaku.token.${screen}`);
    else sessionStorage.setItem(`shikaku.token.${screen}`, token);
  } catch {
    // storage unavailable: the token lives only in memory
  }
}

/** Today in Japan by the browser's clock (the server's `today` is preferred when known). */
export function japanToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}
