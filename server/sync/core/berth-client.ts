// Another Berth's account-level API, as the CLI and the remotes settings reach it with a
// personal access token: who the token signs in as, its projects, a new project, and a
// project's peer side (HttpPeer). Answers are parsed and bounded like the peer's; refusals map
// the same way (401/403 → PeerRefusedError). Pure Node: the CLI bundles this file.
import { z } from 'zod';
import { TEMPLATES, type TemplateId } from '../../contracts/projects';
import { HttpPeer } from './http-peer';
import type { RemoteFetch } from './node-fetch';
import { RemoteApi } from './remote-api';

export interface BerthClientOptions {
  /** The Berth, e.g. https://team.example.com (a trailing slash is fine). */
  baseUrl: string;
  token: string;
  /** The fetch to reach it with, its peers too (default: node:http, see node-fetch.ts). */
  fetch?: RemoteFetch;
  /** A call that sees no bytes either way for this long is given up (default REMOTE_IDLE_MS), its peers' too. */
  idleMs?: number;
  /** Its peers' largest blob accepted (HttpPeerOptions.maxBlobBytes; a Berth passes its file cap). */
  maxBlobBytes?: number;
}

const templateSchema = z.enum(TEMPLATES.map((template) => template.id) as [TemplateId, ...TemplateId[]]);

export const remoteUserSchema = z.object({ id: z.string(), email: z.string(), name: z.string() });
export type RemoteUser = z.infer<typeof remoteUserSchema>;

export const remoteProjectSchema = z.object({
  id: z.string(),
  name: z.string(),
  template: templateSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  lastOpenedAt: z.string().nullable(),
});
export type RemoteProject = z.infer<typeof remoteProjectSchema>;

export class BerthClient {
  private readonly api: RemoteApi;
  private readonly token: string;
  private readonly fetchImpl: RemoteFetch | undefined;
  private readonly maxBlobBytes: number | undefined;
  private readonly idleMs: number | undefined;

  constructor(options: BerthClientOptions) {
    this.api = new RemoteApi(options.baseUrl, options.token, options.fetch, options.idleMs);
    this.token = options.token;
    this.fetchImpl = options.fetch;
    this.maxBlobBytes = options.maxBlobBytes;
    this.idleMs = options.idleMs;
  }

  /** The Berth's base URL, without a trailing slash. */
  get baseUrl(): string {
    return this.api.baseUrl;
  }

  /** GET /api/v1/me: whom the token signs in as. */
  me(): Promise<RemoteUser> {
    return this.api.json({ method: 'GET', path: '/api/v1/me' }, remoteUserSchema);
  }

  /** GET /api/v1/projects */
  projects(): Promise<RemoteProject[]> {
    return this.api.json({ method: 'GET', path: '/api/v1/projects' }, z.array(remoteProjectSchema).max(100_000));
  }

  /** POST /api/v1/projects */
  createProject(input: { name: string; template: TemplateId }): Promise<RemoteProject> {
    return this.api.json({ method: 'POST', path: '/api/v1/projects', json: input }, remoteProjectSchema);
  }

  /** One of the token's projects as a sync peer, named `name` in labels and messages. */
  peer(projectId: string, name: string): HttpPeer {
    return new HttpPeer({
      baseUrl: this.api.baseUrl,
      token: this.token,
      projectId,
      name,
      fetch: this.fetchImpl,
      ...(this.maxBlobBytes === undefined ? {} : { maxBlobBytes: this.maxBlobBytes }),
      ...(this.idleMs === undefined ? {} : { idleMs: this.idleMs }),
    });
  }
}
