// GET or POST a provider's listing endpoint (models, tags) and parse the answer with zod. Bounded
// in time: a provider that does not answer must not hold up the model picker.
import type { ZodType } from 'zod';

const LISTING_TIMEOUT_MS = 5000;

export interface ListingRequest {
  headers?: Record<string, string>;
  /** A JSON body makes it a POST. */
  body?: unknown;
  signal?: AbortSignal;
  /** A user's provider is reached through the guarded fetch (provider-url-policy.ts). */
  fetch?: typeof fetch;
}

export async function fetchListing<T>(url: string, schema: ZodType<T>, request: ListingRequest = {}): Promise<T> {
  const timeout = AbortSignal.timeout(LISTING_TIMEOUT_MS);
  const response = await (request.fetch ?? fetch)(url, {
    method: request.body === undefined ? 'GET' : 'POST',
    headers: {
      accept: 'application/json',
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...request.headers,
    },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    signal: request.signal ? AbortSignal.any([request.signal, timeout]) : timeout,
  }).catch((error: unknown) => {
    throw new Error(
      timeout.aborted ? `${url} did not answer within ${LISTING_TIMEOUT_MS / 1000} s` : `${url}: ${reasonOf(error)}`,
    );
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`${url} answered HTTP ${response.status}`);
  }
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new Error(`${url} answered something that is not a model list`);
  return parsed.data;
}

function reasonOf(error: unknown): string {
  // fetch's TypeError('fetch failed') hides the reason (ECONNREFUSED …) in its cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
