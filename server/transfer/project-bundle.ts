// A project bundle moves a project between Berth servers: one ZIP holding `berth-bundle.json`
// (format, project metadata, every snapshot with its manifest), `conversations/<n>.json` (the
// assistant's conversations; absent from bundles made before them) and `blobs/<sha256>` (each
// content once, raw). Importing checks every blob against its hash and the conversations against
// their schema before creating anything, then recreates the snapshots with their times and labels
// (the newest one fills the new project's volume on first start) and the conversations.
import type { Writable } from 'node:stream';
import { z } from 'zod';
import {
  SKIP_REASONS,
  SNAPSHOT_REASONS,
  TEMPLATES,
  type PortableConversation,
  type ProjectDto,
  type TemplateId,
} from '../contracts';
import { DomainError } from '../core/errors';
import { BlobWriter, S_IFLNK, S_IFMT, S_IFREG, sha256Hex, type SnapshotStore } from '../snapshots';
import { checkBundlePath } from './bundle-paths';
import { conversationEntries, readBundleConversations, type TransferConversations } from './bundle-conversations';
import type { TransferProjects } from './project-transfer';
import { writeZip, type ZipReadResult } from './zip';

export const BUNDLE_MANIFEST = 'berth-bundle.json';
const BUNDLE_FORMAT = 'berth-bundle/1';

const sha = z.string().regex(/^[0-9a-f]{64}$/);
const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  project: z.object({
    name: z.string().trim().min(1).max(64),
    template: z.enum(TEMPLATES.map((t) => t.id) as [TemplateId, ...TemplateId[]]),
  }),
  snapshots: z
    .array(
      z.object({
        createdAt: z.iso.datetime(),
        reason: z.enum(SNAPSHOT_REASONS),
        label: z.string().max(100).nullable(),
        skipped: z.array(z.object({ path: z.string(), size: z.number(), reason: z.enum(SKIP_REASONS) })).max(100_000),
        files: z
          .array(
            z.object({
              path: z.string().min(1).max(1024),
              mode: z.number().int(),
              size: z.number().int().min(0),
              sha256: sha,
            }),
          )
          .max(200_000),
      }),
    )
    .min(1)
    .max(1_000),
});
type Bundle = z.infer<typeof bundleSchema>;

const badBundle = (message: string) => new DomainError('bad_request', 'bad_bundle', message);

export async function writeBundle(
  store: SnapshotStore,
  project: ProjectDto,
  conversations: PortableConversation[],
  out: Writable,
): Promise<void> {
  const snapshots = (await store.list(project.id)).reverse();
  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    project: { name: project.name, template: project.template },
    snapshots: [],
  };
  const hashes = new Set<string>();
  for (const snapshot of snapshots) {
    const files = await store.manifest(snapshot.id);
    for (const file of files) hashes.add(file.sha256);
    bundle.snapshots.push({
      createdAt: snapshot.createdAt,
      reason: snapshot.reason,
      label: snapshot.label,
      skipped: snapshot.skipped,
      files,
    });
  }
  async function* entries() {
    yield {
      path: BUNDLE_MANIFEST,
      type: 'file' as const,
      mode: 0o644,
      open: async () => Buffer.from(JSON.stringify(bundle)),
    };
    for (const { path, open } of conversationEntries(conversations))
      yield { path, type: 'file' as const, mode: 0o644, open };
    for (const hash of hashes)
      yield { path: `blobs/${hash}`, type: 'file' as const, mode: 0o644, open: () => store.readBlob(hash) };
  }
  await writeZip(entries(), out);
}

export const isBundle = (zip: ZipReadResult): boolean =>
  zip.root === null && zip.files.some((file) => file.path === BUNDLE_MANIFEST);

/** A new project (named `name`, or as in the bundle) with the bundle's snapshots and conversations. */
export async function importBundle(
  store: SnapshotStore,
  projects: TransferProjects,
  conversations: TransferConversations,
  userId: string,
  zip: ZipReadResult,
  name?: string,
): Promise<ProjectDto> {
  const manifestEntry = zip.files.find((file) => file.path === BUNDLE_MANIFEST)!;
  const parsed = bundleSchema.safeParse(parseJson(await readAll(await manifestEntry.open())));
  if (!parsed.success)
    throw badBundle(
      `${BUNDLE_MANIFEST} is not a valid Berth bundle: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`,
    );
  const bundle = parsed.data;
  for (const file of bundle.snapshots.flatMap((snapshot) => snapshot.files)) {
    // These paths are written into the new volume: inside it, but any name Linux allows.
    checkBundlePath(file.path);
    const type = file.mode & S_IFMT;
    if ((type !== S_IFREG && type !== S_IFLNK) || (file.mode & ~(S_IFMT | 0o777)) !== 0)
      throw badBundle(`${file.path} has an unsupported mode ${file.mode.toString(8)}`);
  }
  const bundleConversations = await readBundleConversations(zip);
  const needed = new Set(bundle.snapshots.flatMap((snapshot) => snapshot.files.map((file) => file.sha256)));
  const missing = await store.missingBlobs(needed);
  const writer = new BlobWriter(store);
  for (const file of zip.files) {
    const hash = /^blobs\/([0-9a-f]{64})$/.exec(file.path)?.[1];
    if (!hash || !missing.has(hash)) continue;
    const content = await readAll(await file.open());
    if (sha256Hex(content) !== hash) throw badBundle(`blobs/${hash} does not match its hash`);
    await writer.add(content, undefined, hash);
    missing.delete(hash);
  }
  await writer.finish();
  if (missing.size > 0)
    throw badBundle(`the bundle lacks ${missing.size} file content(s), e.g. blobs/${[...missing][0]}`);

  const project = await projects.create(userId, {
    name: name ?? bundle.project.name,
    template: bundle.project.template,
  });
  try {
    let previous = new Map<string, string>();
    for (const snapshot of bundle.snapshots) {
      const now = new Map(snapshot.files.map((file) => [file.path, `${file.sha256}:${file.mode}`]));
      const changedFiles =
        [...now].filter(([path, key]) => previous.get(path) !== key).length +
        [...previous.keys()].filter((path) => !now.has(path)).length;
      await store.create({
        projectId: project.id,
        createdAt: new Date(snapshot.createdAt),
        reason: snapshot.reason,
        label: snapshot.label,
        files: snapshot.files,
        skipped: snapshot.skipped,
        newBytes: 0,
        changedFiles,
      });
      previous = now;
    }
    await conversations.importAll(userId, project.id, bundleConversations);
  } catch (error) {
    await projects.delete(userId, project.id).catch(() => undefined);
    throw error;
  }
  return project;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(content: Buffer): unknown {
  try {
    return JSON.parse(content.toString('utf8')) as unknown;
  } catch {
    throw badBundle(`${BUNDLE_MANIFEST} is not JSON`);
  }
}
