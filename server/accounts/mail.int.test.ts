// Mail (issue 17 A2) against a real SMTP server on loopback (smtp-server): with
// REQUIRE_EMAIL_VERIFICATION a new account signs in only after opening its mailed link, and
// "Forgot password?" mails a one-time reset link. Without SMTP_URL the API says to ask an admin.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signIn, signUp, startTestServer, type TestServer } from '../test-support/api-test-server';

interface ReceivedMail {
  to: string[];
  raw: string;
}

let smtp: SMTPServer;
let smtpPort: number;
const inbox: ReceivedMail[] = [];
let t: TestServer;
let plain: TestServer;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        inbox.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  t = await startTestServer({
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    MAIL_FROM: 'Berth <berth@example.test>',
    REQUIRE_EMAIL_VERIFICATION: 'true',
  });
  plain = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
  await plain?.stop();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

/** The first link to `path` in the newest mail to `email` (quoted-printable soft breaks undone). */
async function linkInMail(email: string, path: string): Promise<string> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    const mail = [...inbox].reverse().find((entry) => entry.to.includes(email));
    const text = mail?.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const match = text?.match(new RegExp(`https?://[^\\s]*${path.replace(/[/?]/g, '\\$&')}[^\\s]*`));
    if (match) return match[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${email} with a ${path} link`);
}

describe('mail', () => {
  it('a new account confirms its email before the first sign-in', async () => {
    const { response, body } = await signUp(t.baseUrl);
    expect(response.status).toBe(201);
    expect(((await response.json()) as { verificationSent?: boolean }).verificationSent).toBe(true);
    const refused = await signIn(t.baseUrl, body.email, body.password);
    expect(refused.cookie).toBeNull();
    expect(refused.error).toMatch(/Confirm your email/);

    const link = await linkInMail(body.email, '/api/v1/auth/verify-email?token=');
    const opened = await fetch(`${t.baseUrl}${new URL(link).pathname}${new URL(link).search}`, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    expect(opened.headers.get('location')).toBe('/signin?verified=1');
    expect((await signIn(t.baseUrl, body.email, body.password)).cookie).toBeTruthy();
  });

  it('"Forgot password?" mails a one-time link, and answers the same for unknown emails', async () => {
    const { body } = await signUp(t.baseUrl);
    await linkInMail(body.email, '/api/v1/auth/verify-email?token=');
    const unknown = await call(t.baseUrl, 'POST', '/api/v1/auth/forgot-password', {}, { email: 'nobody@example.test' });
    expect(unknown.status).toBe(202);
    expect((await call(t.baseUrl, 'POST', '/api/v1/auth/forgot-password', {}, { email: body.email })).status).toBe(202);
    const link = await linkInMail(body.email, '/reset-password?token=');
    const token = new URL(link).searchParams.get('token')!;
    expect(
      (await call(t.baseUrl, 'POST', '/api/v1/auth/reset-password', {}, { token, newPassword: 'mailed new password' }))
        .status,
    ).toBe(204);
    // The link proved the mailbox: the account can sign in with the new password.
    expect((await signIn(t.baseUrl, body.email, 'mailed new password')).cookie).toBeTruthy();
    expect(inbox.some((mail) => mail.to.includes('nobody@example.test'))).toBe(false);
  });

  it('without SMTP the server says to ask an admin, and accounts need no verification', async () => {
    const options = (await (await call(plain.baseUrl, 'GET', '/api/v1/auth/options')).json()) as { mail: boolean };
    expect(options.mail).toBe(false);
    const forgot = await call(plain.baseUrl, 'POST', '/api/v1/auth/forgot-password', {}, { email: 'x@example.test' });
    expect(forgot.status).toBe(501);
    expect(((await forgot.json()) as { message: string }).message).toMatch(/ask an administrator/);
    const { body } = await signUp(plain.baseUrl);
    expect((await signIn(plain.baseUrl, body.email, body.password)).cookie).toBeTruthy();
  });
});
