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

export const boardEditsStorageKey = (code: string, participantId: string) =>
  `kasane:board-edits:${code.toUpperCase()}:${participantId}`

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

function load(doc: Y.Doc, key: string): void {
  try {
    const stored = localStorage.getItem(key)
    if (stored) Y.applyUpdate(doc, fromBase64(stored), ORIGIN)
  } catch {
    // A damaged copy is ignored; the server's copy still holds everything it has seen.
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

export function forgetOnDevice(key: string): void {
  save(key, null)
}

/**
 * Loads the device copy into `doc` and keeps it up to date; returns the detach function. With
 * `remote` (the origin of what the server sends: the provider), only the changes made here are
 * kept, and the copy is forgotten once none of them is news to the server. Attach it once the
 * document has synced, so that the copy is measured against what the server holds.
 */
export function persistOnDevice(doc: Y.Doc, key: string, remote?: unknown): () => void {
  /** The changes made here (with `remote` only), merged at every save. */
  let own: Uint8Array[] = []
  let timer: ReturnType<typeof setTimeout> | null = null
  let destroyed = false
  const onDestroy = () => {
    destroyed = true
  }
  const snapshot = (): Uint8Array | null => {
    if (remote === undefined) return Y.encodeStateAsUpdate(doc)
    if (own.length > 1) own = [Y.mergeUpdates(own)]
    return own[0] ?? null
  }
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (!destroyed) save(key, snapshot())
  }
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (remote !== undefined) {
      if (origin === remote) return
      own.push(update)
    }
    if (!timer) timer = setTimeout(flush, SAVE_DELAY_MS)
  }
  const onHide = () => {
    if (document.visibilityState === 'hidden') flush()
  }
  // Listening first: of the stored changes, those the server lacks come back as an update.
  doc.on('update', onUpdate)
  load(doc, key)
  window.addEventListener('pagehide', flush)
  document.addEventListener('visibilitychange', onHide)
  flush()
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
