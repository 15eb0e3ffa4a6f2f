// The one place a domain refusal becomes an HTTP status. A Record over ErrorKind, so a new
// kind does not compile until it has its status here. The statuses are part of the API
// contract (clients and tests rely on 409, 412, 423, 429, 503, 507…): change none lightly.
import type { DomainError, ErrorKind } from '../core/errors';

export const HTTP_STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  locked: 423,
  rate_limited: 429,
  internal: 500,
  not_configured: 501,
  bad_gateway: 502,
  unavailable: 503,
  disk_full: 507,
};

export const httpStatusOf = (error: DomainError): number => HTTP_STATUS[error.kind];
