// An environment's variables: sealed at rest with SecretBox under a key label of their own,
// secrets answered masked, opened only to hand to a deployment container at its start. Values
// never go to a log, a snapshot or an image.
import { MASKED_VALUE, type DeploymentVariableDto, type PutVariablesInput } from '../contracts';
import type { SecretBox } from '../core/secret-box';
import type { PrismaClient } from '../db';

/** The SecretBox label for deployment variables (a key apart from every other purpose's). */
export const DEPLOY_VARIABLES_PURPOSE = 'berth/deploy/variables/v1';

export class DeployVariables {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly box: SecretBox,
  ) {}

  /** As the API shows them: a secret's value masked. */
  async list(environmentId: string): Promise<DeploymentVariableDto[]> {
    const rows = await this.prisma.deployVariable.findMany({ where: { environmentId }, orderBy: { name: 'asc' } });
    return rows.map((row) => ({
      name: row.name,
      value: row.secret ? MASKED_VALUE : this.box.open(row.value),
      secret: row.secret,
    }));
  }

  /** Replaces the set. A secret sent back masked keeps the value it had. */
  async replace(environmentId: string, input: PutVariablesInput): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = new Map(
        (await tx.deployVariable.findMany({ where: { environmentId } })).map((row) => [row.name, row]),
      );
      const rows = input.variables.map(({ name, value, secret = false }) => {
        const old = before.get(name);
        const kept = secret && value === MASKED_VALUE && old?.secret;
        return { environmentId, name, secret, value: kept ? old.value : this.box.seal(value) };
      });
      await tx.deployVariable.deleteMany({ where: { environmentId } });
      if (rows.length) await tx.deployVariable.createMany({ data: rows });
    });
  }

  /** The plain values, for a container's environment only. */
  async open(environmentId: string): Promise<Record<string, string>> {
    const rows = await this.prisma.deployVariable.findMany({ where: { environmentId } });
    return Object.fromEntries(rows.map((row) => [row.name, this.box.open(row.value)]));
  }
}
