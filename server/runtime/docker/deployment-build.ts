// Builds one deployment: a fresh, hardened container from the workspace image gets the project's
// files, Berth's extra files and the build script (a file, never the command: see BUILD_SCRIPT_PATH),
// runs the script as uid 1000 with its output streamed, and
// on exit 0 is committed to the deployment's image; the build container is always removed.
// A time limit or an abort kills it. Nothing else (running deployments, other images) is touched.
import { StringDecoder } from 'node:string_decoder';
import type Dockerode from 'dockerode';
import type { Container } from 'dockerode';
import tarStreamModule from 'tar-stream';
import { cjsDefault } from '../../core/cjs-default';
import { DeploymentBuildError, type DeploymentBuildSpec, type DeploymentImage } from '../deployment-driver';
import { CA_BUNDLE_TARGET, WORKSPACE_DIR, WORKSPACE_USER } from './container-spec';
import { engineError, onEngine } from './docker-errors';
import {
  assertDeploymentRef,
  buildContainerName,
  deploymentImageName,
  deploymentLabels,
  IMAGE_REPOSITORY,
} from './deployment-names';
import { removeContainer } from './workspace-resources';
import { createDemuxer } from './stream-demux';

const tarStream = cjsDefault(tarStreamModule);

/**
 * Where the build script lands, owned by the build user, mode 0700; the script removes itself
 * first (build-script.ts). Never `sh -c <script>`: the script exports the build-time variables,
 * and a commit keeps the build container's command in the image (ContainerConfig.Cmd on
 * Docker ≤ 25), so the values would stay readable in every image. `sh <file>` leaves only the path.
 */
export const BUILD_SCRIPT_PATH = '/tmp/berth-build.sh';

export interface DeploymentHostSettings {
  /** The workspace image: builds start from it and deployment images are made from it. */
  image: string;
  memoryBytes: number;
  cpus: number;
  pidsLimit: number;
  caBundlePath?: string;
  scope?: string;
}

/** The CA bundle bound read-only, and the variables that make Node, npm, curl and git use it. */
export function caBundleSetup(caBundlePath: string | undefined): { env: string[]; mounts: Dockerode.MountSettings[] } {
  if (!caBundlePath) return { env: [], mounts: [] };
  return {
    env: ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'GIT_SSL_CAINFO', 'npm_config_cafile'].map(
      (name) => `${name}=${CA_BUNDLE_TARGET}`,
    ),
    mounts: [{ Type: 'bind', Source: caBundlePath, Target: CA_BUNDLE_TARGET, ReadOnly: true }],
  };
}

/** The limits and hardening every deployment container (build or run) gets. */
export function hardenedHostConfig(settings: DeploymentHostSettings, networkId: string): Dockerode.HostConfig {
  return {
    NetworkMode: networkId,
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    PidsLimit: settings.pidsLimit,
    Memory: settings.memoryBytes,
    MemorySwap: settings.memoryBytes,
    NanoCpus: Math.round(settings.cpus * 1e9),
    LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } },
    Mounts: caBundleSetup(settings.caBundlePath).mounts,
  };
}

export async function buildDeploymentImage(
  docker: Dockerode,
  settings: DeploymentHostSettings,
  networkId: string,
  spec: DeploymentBuildSpec,
): Promise<DeploymentImage> {
  assertDeploymentRef(spec);
  if (spec.signal?.aborted) throw new DeploymentBuildError('aborted', null, 'The build was cancelled');
  const labels = deploymentLabels(spec, settings.scope, spec.port);
  const container = await onEngine(() =>
    docker.createContainer({
      name: buildContainerName(spec.deploymentId),
      Image: settings.image,
      Labels: deploymentLabels(spec, settings.scope, spec.port, 'build'),
      Entrypoint: ['/usr/bin/tini', '--'],
      Cmd: ['sh', BUILD_SCRIPT_PATH],
      Env: caBundleSetup(settings.caBundlePath).env,
      User: WORKSPACE_USER,
      WorkingDir: WORKSPACE_DIR,
      HostConfig: { ...hardenedHostConfig(settings, networkId), RestartPolicy: { Name: 'no' } },
      NetworkingConfig: { EndpointsConfig: { [networkId]: {} } },
    }),
  );
  try {
    await onEngine(async () => container.putArchive(await spec.files(), { path: WORKSPACE_DIR }));
    if (spec.extraFiles?.length)
      await onEngine(() => container.putArchive(tarOf(spec.extraFiles ?? []), { path: '/' }));
    const [uid, gid] = WORKSPACE_USER.split(':').map(Number);
    const script = { path: BUILD_SCRIPT_PATH, content: spec.script, mode: 0o700, uid, gid };
    await onEngine(() => container.putArchive(tarOf([script]), { path: '/' }));
    const exitCode = await runToEnd(container, spec);
    if (exitCode !== 0) throw new DeploymentBuildError('failed', exitCode, `The build failed (exit code ${exitCode})`);
    const env = [`PORT=${spec.port}`, 'NODE_ENV=production', 'HOST=0.0.0.0'];
    // The commit's config replaces the build's command; its Env merges into the image's by key.
    await onEngine(() =>
      container.commit({
        _query: {
          container: container.id,
          repo: IMAGE_REPOSITORY,
          tag: spec.deploymentId,
          comment: `Berth deployment ${spec.deploymentId}`,
        },
        _body: {
          Entrypoint: ['/usr/bin/tini', '--'],
          Cmd: spec.startCommand,
          Env: env,
          User: WORKSPACE_USER,
          WorkingDir: WORKSPACE_DIR,
          ExposedPorts: { [`${spec.port}/tcp`]: {} },
          Labels: labels,
        },
      }),
    );
    const info = await onEngine(() => docker.getImage(deploymentImageName(spec.deploymentId)).inspect());
    return {
      deploymentId: spec.deploymentId,
      projectId: spec.projectId,
      environment: spec.environment,
      image: deploymentImageName(spec.deploymentId),
      port: spec.port,
      createdAt: new Date(info.Created),
      sizeBytes: info.Size,
    };
  } finally {
    await removeContainer(container).catch(() => undefined);
  }
}

/** Starts the build, streams its output and resolves with its exit code; kills it past the limit or on abort. */
async function runToEnd(container: Container, spec: DeploymentBuildSpec): Promise<number> {
  await onEngine(() => container.start());
  const output = (await onEngine(() =>
    container.logs({ follow: true, stdout: true, stderr: true }),
  )) as unknown as NodeJS.ReadableStream;
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const demux = createDemuxer((payload, stream) => spec.onLog?.(decoders[stream].write(payload)));
  const drained = new Promise<void>((resolve) => {
    output.on('data', (chunk: Buffer) => demux(chunk));
    output.on('end', resolve);
    output.on('close', resolve);
    output.on('error', () => resolve());
  });
  let stopReason: 'timeout' | 'aborted' | null = null;
  const kill = (reason: 'timeout' | 'aborted') => {
    stopReason ??= reason;
    container.kill().catch(() => undefined);
  };
  const timer = setTimeout(() => kill('timeout'), spec.timeoutMs);
  const onAbort = () => kill('aborted');
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const { StatusCode } = (await onEngine(() => container.wait())) as { StatusCode: number };
    // The output ends right after the exit; wait for its last bytes (bounded).
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    if (stopReason === 'timeout')
      throw new DeploymentBuildError(
        'timeout',
        null,
        `The build took longer than ${Math.round(spec.timeoutMs / 1000)} s`,
      );
    if (stopReason === 'aborted') throw new DeploymentBuildError('aborted', null, 'The build was cancelled');
    return StatusCode;
  } catch (error) {
    throw error instanceof DeploymentBuildError ? error : engineError(error);
  } finally {
    clearTimeout(timer);
    spec.signal?.removeEventListener('abort', onAbort);
    (output as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  }
}

type TarFile = NonNullable<DeploymentBuildSpec['extraFiles']>[number] & { uid?: number; gid?: number };

function tarOf(files: TarFile[]): NodeJS.ReadableStream {
  const pack = tarStream.pack();
  for (const file of files) {
    const name = file.path.replace(/^\/+/, '');
    pack.entry({ name, mode: file.mode ?? 0o644, uid: file.uid ?? 0, gid: file.gid ?? 0 }, Buffer.from(file.content));
  }
  pack.finalize();
  return pack as unknown as NodeJS.ReadableStream;
}
