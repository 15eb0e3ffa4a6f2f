// The manifest of a project bundle, `berth-bundle.json`: its schema, and reading it out of a ZIP
// checked whole (JSON, schema, every path safe, every mode a file or symlink, no path twice in a
// snapshot). A full bundle holds the whole history; an incremental one (`incremental.base`) holds
// only the snapshots after a base snapshot, named by its manifest hash because snapshot ids
// differ between servers, and only the blobs the base lacks.
import { z } from 'zod';
import { SKIP_REASONS, SNAPSHOT_REASONS, TEMPLATES, type TemplateId } from '../contracts';
import { DomainError } from '../core/errors';
import { S_IFLNK, S_IFMT, S_IFREG } from '../snapshots';
import { checkBundlePath } from './bundle-paths';
import type { ZipReadResult } from './zip';

export const BUNDLE_MANIFEST = 'berth-bundle.json';
export const BUNDLE_FORMAT = 'berth-bundle/1';

const sha = z.string().regex(/^[0-9a-f]{64}$/);

const snapshotSchema = z.object({
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
});

/** The snapshot an incremental bundle starts from, as the importing project must hold it. */
const baseSchema = z.object({
  /** manifestHash() of its files: the same on every server. */
  manifestHash: sha,
  fileCount: z.number().int().min(0),
  /** When and how it was taken where the bundle was made: for messages only. */
  createdAt: z.iso.datetime(),
  label: z.string().max(100).nullable(),
});

export const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  project: z.object({
    name: z.string().trim().min(1).max(64),
    template: z.enum(TEMPLATES.map((t) => t.id) as [TemplateId, ...TemplateId[]]),
  }),
  /** Present on an incremental bundle only (a Berth that does not know it reads a full one). */
  incremental: z.object({ base: baseSchema }).optional(),
  /** Oldest first. A full bundle has at least one; an incremental one may have none (nothing changed). */
  snapshots: z.array(snapshotSchema).max(1_000),
});
export type Bundle = z.infer<typeof bundleSchema>;
export type BundleSnapshot = Bundle['snapshots'][number];
export type BundleBase = z.infer<typeof baseSchema>;

export const badBundle = (message: string) => new DomainError('bad_request', 'bad_bundle', message);

export const isBundle = (zip: ZipReadResult): boolean =>
  zip.root === null && zip.files.some((file) => file.path === BUNDLE_MANIFEST);

/** The bundle's manifest, parsed and checked; throws 400 (bad_bundle, bad_path) before anything is written. */
export async function readBundleManifest(zip: ZipReadResult): Promise<Bundle> {
  const entry = zip.files.find((file) => file.path === BUNDLE_MANIFEST);
  if (!entry) throw badBundle(`The ZIP has no ${BUNDLE_MANIFEST}: it is not a Berth bundle`);
  let json: unknown;
  try {
    json = JSON.parse((await readAll(await entry.open())).toString('utf8')) as unknown;
  } catch {
    throw badBundle(`${BUNDLE_MANIFEST} is not JSON`);
  }
  const parsed = bundleSchema.safeParse(json);
  if (!parsed.success)
    throw badBundle(
      `${BUNDLE_MANIFEST} is not a valid Berth bundle: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`,
    );
  const bundle = parsed.data;
  for (const snapshot of bundle.snapshots) {
    const seen = new Set<string>();
    for (const file of snapshot.files) {
      // These paths are written into a volume: inside it, but any name Linux allows.
      checkBundlePath(file.path);
      const type = file.mode & S_IFMT;
      if ((type !== S_IFREG && type !== S_IFLNK) || (file.mode & ~(S_IFMT | 0o777)) !== 0)
        throw badBundle(`${file.path} has an unsupported mode ${file.mode.toString(8)}`);
      if (seen.has(file.path)) throw badBundle(`${file.path} appears twice in one snapshot`);
      seen.add(file.path);
    }
  }
  return bundle;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** How many files differ between two manifests (added, changed or removed), as a snapshot counts them. */
export function changedFileCount(
  before: readonly { path: string; mode: number; sha256: string }[],
  after: readonly { path: string; mode: number; sha256: string }[],
): number {
  const key = (file: { mode: number; sha256: string }) => `${file.sha256}:${file.mode}`;
  const old = new Map(before.map((file) => [file.path, key(file)]));
  const now = new Map(after.map((file) => [file.path, key(file)]));
  return (
    [...now].filter(([path, value]) => old.get(path) !== value).length +
    [...old.keys()].filter((p) => !now.has(p)).length
  );
}
