// Seeding for the API benches: a real user through the REST API, a real session through
// next-auth's credentials flow, a real personal access token through POST /api/v1/tokens,
// and bulk rows inserted straight into PostgreSQL (seeding is not what is measured).
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export interface BenchUser {
  id: string;
  email: string;
  password: string;
  /** `next-auth.session-token=…`, ready for a Cookie header. */
  cookie: string;
  /** `berth_pat_…` */
  token: string;
}

function cookiePairs(res: Response): string[] {
  return res.headers.getSetCookie().map((line) => line.split(';')[0]!.trim());
}

async function expectStatus(res: Response, status: number, what: string): Promise<void> {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status}: ${(await res.text()).slice(0, 500)}`);
}

/** Signs a new user up, signs in (session cookie), and creates a personal access token with it. */
export async function createBenchUser(baseUrl: string): Promise<BenchUser> {
  const email = `bench-${randomUUID()}@example.test`;
  const password = `bench-${randomUUID()}`;
  const origin = { Origin: baseUrl };

  const signup = await fetch(`${baseUrl}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...origin },
    body: JSON.stringify({ email, password, name: 'Bench User' }),
  });
  await expectStatus(signup, 201, 'POST /api/v1/auth/signup');
  const { id } = (await signup.json()) as { id: string };

  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  await expectStatus(csrf, 200, 'GET /api/auth/csrf');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookies = cookiePairs(csrf);

  const signin = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: csrfCookies.join('; '), ...origin },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }).toString(),
  });
  await signin.arrayBuffer();
  const session = cookiePairs(signin).find((pair) => /^(__Secure-)?next-auth\.session-token=./.test(pair));
  if (!session) throw new Error(`sign-in set no session cookie (status ${signin.status})`);

  const created = await fetch(`${baseUrl}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: session, ...origin },
    body: JSON.stringify({ name: 'bench' }),
  });
  await expectStatus(created, 201, 'POST /api/v1/tokens');
  const { token } = (await created.json()) as { token: string };
  if (!token.startsWith('berth_pat_')) throw new Error('POST /api/v1/tokens returned no berth_pat_ token');

  return { id, email, password, cookie: session, token };
}

/** Inserts `count` projects owned by `ownerId` in one statement; distinct, ordered timestamps. */
export async function insertProjects(databaseUrl: string, ownerId: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const values: string[] = [];
    const params: unknown[] = [ownerId];
    const base = Date.now() - count * 60_000;
    for (let i = 0; i < count; i++) {
      const at = new Date(base + i * 60_000);
      params.push(`bench${randomUUID().replaceAll('-', '')}`, `Bench project ${String(i + 1).padStart(4, '0')}`, at);
      const p = params.length;
      values.push(`($${p - 2}, $1, $${p - 1}, 'blank-node', $${p}, $${p})`);
    }
    await client.query(
      `INSERT INTO "Project" ("id", "ownerId", "name", "template", "createdAt", "updatedAt") VALUES ${values.join(', ')}`,
      params,
    );
    await client.query('ANALYZE "Project"');
  } finally {
    await client.end();
  }
}
