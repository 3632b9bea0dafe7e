// What is written on this device is kept on it too, so that a page closed while offline loses
// nothing: the whole notebook, and of the board only the changes made here (the rest is the room's,
// and the server has it). The stored state is applied to the synced document as a local change, so
// whatever the server has not seen yet is sent to it by the provider once it reconnects, and Yjs
// merges both sides; what it has seen already changes nothing.
import * as Y from 'yjs'

const ORIGIN = 'kasane-device'
const SAVE_DELAY_MS = 250

export const notebookStorageKey = (code: string, participantId: string) =>
  `kasane:notebook:${code.toUpperCase()}:${participantId}`

/** `who`: the participant's id, or `facilitator`. */
export const boardEditsStorageKey = (code: string, who: string) => `kasane:board-edits:${code.toUpperCase()}:${who}`

function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64)
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}

function read(key: string): Uint8Array | null {
  try {
    const stored = localStorage.getItem(key)
    return stored ? fromBase64(stored) : null
  } catch {
    return null
  }
}

function save(key: string, update: Uint8Array | null): void {
  try {
    if (update) localStorage.setItem(key, toBase64(update))
    else localStorage.removeItem(key)
  } catch {
    // Storage full or disabled (private browsing): the server's copy remains the only one.
  }
}

/** The stored keys that are `key` or under it (`key:…`, one per page that kept its own edits). */
function keysOf(key: string): string[] {
  try {
    return Object.keys(localStorage).filter((k) => k === key || k.startsWith(`${key}:`))
  } catch {
    return []
  }
}

export function forgetOnDevice(key: string): void {
  for (const k of keysOf(key)) save(k, null)
}

function apply(doc: Y.Doc, update: Uint8Array): void {
  try {
    Y.applyUpdate(doc, update, ORIGIN)
  } catch {
    // A damaged copy is ignored; the server's copy still holds everything it has seen.
  }
}

/**
 * Loads the device copy into `doc` and keeps it up to date; returns the detach function.
 *
 * With `remote` (the origin of what the server sends: the provider), only the changes made here
 * are kept, under `key:<page>`, one key per page, so that two tabs (a console and its projector)
 * never write over each other's. A page takes in every copy left under `key`, and keeps as its
 * own only what the server lacks: attach it once the document has synced, so that the copies are
 * measured against what the server holds.
 */
export function persistOnDevice(doc: Y.Doc, key: string, remote?: unknown): () => void {
  const own = remote !== undefined
  const pageKey = own ? `${key}:${Math.random().toString(36).slice(2, 10)}` : key
  /** The changes made here (with `remote` only), merged at every save. */
  let mine: Uint8Array[] = []
  let timer: ReturnType<typeof setTimeout> | null = null
  let destroyed = false
  const onDestroy = () => {
    destroyed = true
  }
  const snapshot = (): Uint8Array | null => {
    if (!own) return Y.encodeStateAsUpdate(doc)
    if (mine.length > 1) mine = [Y.mergeUpdates(mine)]
    return mine[0] ?? null
  }
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (!destroyed) save(pageKey, snapshot())
  }
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (own) {
      if (origin === remote) return
      mine.push(update)
    }
    if (!timer) timer = setTimeout(flush, SAVE_DELAY_MS)
  }
  const onHide = () => {
    if (document.visibilityState === 'hidden') flush()
  }
  // Listening first: of the stored changes, those the server lacks come back as an update.
  doc.on('update', onUpdate)
  const found = own ? keysOf(key) : [key]
  for (const k of found) {
    const stored = read(k)
    if (stored) apply(doc, stored)
  }
  flush()
  // What the other copies held that the server lacks is this page's own now.
  if (own) for (const k of found) save(k, null)
  window.addEventListener('pagehide', flush)
  document.addEventListener('visibilitychange', onHide)
  doc.on('destroy', onDestroy)
  return () => {
    doc.off('update', onUpdate)
    doc.off('destroy', onDestroy)
    window.removeEventListener('pagehide', flush)
    document.removeEventListener('visibilitychange', onHide)
    // A destroyed document is never saved: it is being replaced, or the page is leaving.
    flush()
  }
}
