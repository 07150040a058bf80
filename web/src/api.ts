/**
 * The API client of the screens. A request that cannot reach the server (network down, server gone)
 * throws OfflineError, so the reception terminal can switch to its offline mode; an answered error
 * throws ApiError with the problem+json code and both messages.
 */
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

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  token?: string | null | undefined;
  body?: unknown;
  /** Sent as is with this content type (CSV upload). */
  text?: { body: string | Blob; type: string };
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
    response = await fetch(path, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
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

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  return (await response.json()) as T;
}

/** A binary answer (PDF) as a Blob, with the file name from Content-Disposition when given. */
export async function apiBlob(
  path: string,
  options: RequestOptions = {},
): Promise<{ blob: Blob; filename: string | null }> {
  const response = await send(path, options);
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

export type Role = 'operator' | 'admin' | 'employer' | 'provider' | 'member';

/** GET /api/v1/whoami: the token's role and scope, and the server's today (Japan). */
export interface WhoAmI {
  role: Role;
  insurerNumber: string | null;
  insurerName: string | null;
  employerSymbol: string | null;
  providerCode: string | null;
  memberId: string | null;
  today: string;
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
