// GET /metrics: Prometheus scrapes it. With METRICS_TOKEN set it wants that bearer token
// (compared in constant time); without it the endpoint is open, for scrapers on a private network.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BerthMetrics } from '../core/metrics';
import { bearerToken } from '../auth';
import { sendJson } from './router';

const digest = (text: string) => createHash('sha256').update(text).digest();

export function createMetricsEndpoint(metrics: BerthMetrics, token: string | undefined) {
  const expected = token === undefined ? undefined : digest(token);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendJson(res, 405, { error: 'method_not_allowed', message: `${req.method} is not allowed here` });
    }
    if (expected) {
      const given = bearerToken(req.headers.authorization);
      if (given === undefined || !timingSafeEqual(digest(given), expected)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="berth-metrics"');
        return sendJson(res, 401, { error: 'unauthorized', message: 'Send the METRICS_TOKEN as a bearer token' });
      }
    }
    const { contentType, body } = await metrics.expose();
    res.statusCode = 200;
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
