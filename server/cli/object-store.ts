// .berth/objects/: the contents of the base's files, one gzip'd file per sha256, so a three-way
// merge has its base even after the working file changed. Written atomically; read back only
// when the content still hashes to its name.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { writeFileAtomic } from './atomic-file';
import { TEMP_PREFIX } from './folder-layout';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const HASH = /^[0-9a-f]{64}$/;

export class ObjectStore {
  constructor(private readonly dir: string) {}

  private fileOf(sha256: string): string {
    if (!HASH.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return path.join(this.dir, `${sha256}.gz`);
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.fileOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  async put(sha256: string, content: Buffer): Promise<void> {
    if (await this.has(sha256)) return;
    if (createHash('sha256').update(content).digest('hex') !== sha256)
      throw new Error(`content does not hash to ${sha256}`);
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.fileOf(sha256), await gzipAsync(content, { level: 6 }));
  }

  /** The content, or undefined when absent or damaged. */
  async get(sha256: string): Promise<Buffer | undefined> {
    let content: Buffer;
    try {
      content = await gunzipAsync(await readFile(this.fileOf(sha256)));
    } catch {
      return undefined;
    }
    return createHash('sha256').update(content).digest('hex') === sha256 ? content : undefined;
  }

  /** Removes every object not in `keep` (and temp files a crash left). */
  async prune(keep: ReadonlySet<string>): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const hash = name.endsWith('.gz') ? name.slice(0, -3) : '';
      if (keep.has(hash)) continue;
      if (!HASH.test(hash) && !name.startsWith(TEMP_PREFIX)) continue;
      await rm(path.join(this.dir, name), { force: true });
      removed++;
    }
    return removed;
  }
}
