// Browser-side calls to Berth's REST API: same-origin, cookies sent, errors made readable.
import type { ApiErrorBody } from '@/server/contracts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.status === 204) return undefined as T;
  const payload = (await response
    .json()
    .catch(() => ({ error: 'bad_response', message: `HTTP ${response.status}` }))) as unknown;
  if (!response.ok) {
    if (response.status === 401 && typeof window !== 'undefined') {
      window.location.href = `/signin?callbackUrl=${encodeURIComponent(window.location.pathname)}`;
    }
    throw new ApiError(response.status, payload as ApiErrorBody);
  }
  return payload as T;
}

export const firstFieldError = (error: unknown, field: string): string | undefined =>
  error instanceof ApiError ? error.body.fieldErrors?.[field]?.[0] : undefined;
