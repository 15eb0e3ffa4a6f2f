// An approved sign-in whose CLI never collects the token: the sweep (on its timer, with no other
// login started) deletes the row and revokes the token, so it does not stay valid for nobody.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../core/secret-box';
import { openDatabase, type Database } from '../db';
import { makeTempDir, silentLog } from '../db/test-support';
import { CLI_LOGIN_PURPOSE, CLI_LOGIN_TTL_MS, CliLoginService } from './cli-login-service';
import { TokenService } from './token-service';

const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

let db: Database;
let tmp: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  tmp = await makeTempDir('berth-cli-login-sweep-');
  db = await openDatabase({ dataDir: tmp.path, migrationsDir, log: silentLog });
}, 120_000);

afterAll(async () => {
  await db?.close();
  await tmp?.remove();
});

describe('CliLoginService sweep', () => {
  it('revokes an approved token nobody collected once its login expired, on the timer alone', async () => {
    const user = await db.prisma.user.create({ data: { email: 'sweep@example.com', name: 'Sweep' } });
    const tokens = new TokenService(db.prisma);
    let clock = Date.now();
    const logins = new CliLoginService(
      db.prisma,
      tokens,
      new SecretBox('x'.repeat(32), CLI_LOGIN_PURPOSE),
      'http://berth.test',
      () => clock,
    );
    const started = await logins.start('laptop');
    await logins.approve(user.id, started.code);
    const [made] = await db.prisma.apiToken.findMany({ where: { userId: user.id } });
    expect(made).toBeDefined();

    clock += 2 * CLI_LOGIN_TTL_MS + 1000;
    let failed: unknown;
    logins.startSweeping(20, (error) => (failed = error));
    try {
      await expect
        .poll(async () => db.prisma.cliLogin.count({ where: { code: started.code } }), { timeout: 10_000 })
        .toBe(0);
      await expect.poll(async () => db.prisma.apiToken.count({ where: { id: made!.id } }), { timeout: 10_000 }).toBe(0);
    } finally {
      await logins.dispose();
    }
    expect(failed).toBeUndefined();
  });
});
