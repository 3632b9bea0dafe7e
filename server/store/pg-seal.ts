// Document bytes are sealed with their workshop's own key, kept in its row (none for a workshop
// from before keys). Plain VACUUM leaves some deleted bytes in the pages of the update log and
// snapshots; the key goes with the workshop's row, which VACUUM FULL rewrites away, so what is
// left there can no longer be read. The document's name is bound in, so rows cannot be swapped.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type pg from 'pg'

const IV = 12
const TAG = 16

export const newDocKey = () => randomBytes(32)

const bytes = (u: Uint8Array) => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength))

/** The bytes to store for `plain`; a null key (a workshop from before keys) stores them as they are. */
export function seal(key: Buffer | null, doc: string, plain: Uint8Array): Buffer {
  if (!key) return bytes(plain)
  const iv = randomBytes(IV)
  const c = createCipheriv('aes-256-gcm', key, iv)
  c.setAAD(Buffer.from(doc))
  const body = Buffer.concat([c.update(plain), c.final()])
  return Buffer.concat([iv, c.getAuthTag(), body])
}

/** Throws when `sealed` was not sealed for `doc` with `key`. */
export function unseal(key: Buffer | null, doc: string, sealed: Buffer): Buffer {
  if (!key) return sealed
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV))
  d.setAAD(Buffer.from(doc))
  d.setAuthTag(sealed.subarray(IV, IV + TAG))
  return Buffer.concat([d.update(sealed.subarray(IV + TAG)), d.final()])
}

const KEYS_CACHED = 10_000

/**
 * Room code → its document key (null: a workshop from before keys). Keys never change, but a code
 * can be deleted and drawn again; callers forget a key that the database no longer matches.
 */
export class DocKeys {
  private keys = new Map<string, Buffer | null>()

  constructor(private pool: pg.Pool) {}

  remember(code: string, key: Buffer | null) {
    if (this.keys.size >= KEYS_CACHED) this.keys.delete(this.keys.keys().next().value!)
    this.keys.set(code, key)
  }

  forget(code: string) {
    this.keys.delete(code)
  }

  /** The document key of a workshop; undefined when there is no such workshop. */
  async of(code: string): Promise<{ key: Buffer | null } | undefined> {
    const cached = this.keys.get(code)
    if (cached !== undefined) return { key: cached }
    const r = await this.pool.query<{ doc_key: Buffer | null }>({
      name: 'kasane_doc_key',
      text: 'SELECT doc_key FROM workshops WHERE code = $1',
      values: [code],
    })
    if (!r.rows[0]) return undefined
    this.remember(code, r.rows[0].doc_key)
    return { key: r.rows[0].doc_key }
  }
}
