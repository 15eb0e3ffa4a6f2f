// Removes every deployment container, image and the deploy network of a test server's scope:
// deployments outlive the server that made them (as they must), so tests remove them themselves.
import { createLogger } from '../core/logger';
import { DockerDeploymentDriver } from '../runtime';
import { testDocker, workspaceImage } from '../runtime/docker/docker-test-support';

export async function removeDeploymentsOfScope(scope: string): Promise<void> {
  const docker = testDocker();
  const label = [`berth.scope=${scope}`, 'berth.deployment'];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  await Promise.all(
    containers.map((info) =>
      docker
        .getContainer(info.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  for (const info of await docker.listImages({ filters: { label } }))
    await docker
      .getImage(info.Id)
      .remove({ force: true })
      .catch(() => undefined);
  const driver = new DockerDeploymentDriver(
    {
      docker,
      image: await workspaceImage(docker),
      memoryBytes: 1,
      cpus: 1,
      pidsLimit: 1,
      publishHost: '127.0.0.1',
      scope,
    },
    createLogger('silent'),
  );
  await driver.removeNetwork().catch(() => undefined);
}
