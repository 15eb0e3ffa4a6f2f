// Seals a user's secrets for storage (model provider keys, issue 11; git tokens, issue 13):
// AES-256-GCM under a key derived from AUTH_SECRET with HKDF-SHA256 and a label per purpose (so
// this key is never the session-signing key, nor another purpose's key), a fresh random 96-bit IV per value, and GCM's tag so a changed value fails to open rather
// than opening to garbage. Stored as "v1.<iv>.<tag>.<ciphertext>", each base64url.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const HKDF_SALT = 'berth';
/** The label of the provider keys' box (the first user, kept so sealed keys still open). */
export const PROVIDER_KEYS_PURPOSE = 'berth/assistant/provider-keys/v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  private readonly key: Buffer;

  /** `purpose` labels the key: values sealed for one purpose do not open in another's box. */
  constructor(authSecret: string, purpose: string = PROVIDER_KEYS_PURPOSE) {
    if (!authSecret) throw new Error('SecretBox needs AUTH_SECRET');
    this.key = Buffer.from(hkdfSync('sha256', authSecret, HKDF_SALT, purpose, 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), sealed]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The plain value; throws when `sealed` was not sealed by this secret or was changed since. */
  open(sealed: string): string {
    const [version, iv, tag, data, ...rest] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined || rest.length > 0)
      throw new Error('Not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    const tagBytes = Buffer.from(tag, 'base64url');
    if (tagBytes.length !== TAG_BYTES) throw new Error('Not a sealed value');
    decipher.setAuthTag(tagBytes);
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('The sealed value does not open with this AUTH_SECRET (changed secret or altered value)');
    }
  }
}
