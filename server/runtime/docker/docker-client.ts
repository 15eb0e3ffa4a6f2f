// Builds the dockerode client. The engine here speaks API 1.41 (Docker 20.10): pin it, so a
// newer dockerode never asks for a version the engine refuses.
import DockerodeModule from 'dockerode';
import type Dockerode from 'dockerode';
import { cjsDefault } from '../../core/cjs-default';

const Docker = cjsDefault(DockerodeModule);
export const DOCKER_API_VERSION = 'v1.41';

/** dockerHost: unix:///path/docker.sock, a plain socket path, or tcp://host:port (http). */
export function createDockerClient(dockerHost?: string): Dockerode {
  if (!dockerHost) return new Docker({ socketPath: '/var/run/docker.sock', version: DOCKER_API_VERSION });
  if (dockerHost.startsWith('unix://'))
    return new Docker({ socketPath: dockerHost.slice('unix://'.length), version: DOCKER_API_VERSION });
  if (dockerHost.startsWith('/')) return new Docker({ socketPath: dockerHost, version: DOCKER_API_VERSION });
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol, version: DOCKER_API_VERSION });
}
