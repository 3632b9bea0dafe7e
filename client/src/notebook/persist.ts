// The notebook kept on this device too: a refresh while offline loses nothing. The stored state is
// applied to the synced document as a local change, so whatever the server has not seen yet is
// sent to it by the provider once it reconnects, and Yjs merges both sides.
import * as Y from 'yjs'

const ORIGIN = 'kasane-device'
const SAVE_DELAY_MS = 250

export const notebookStorageKey = (code: string, participantId: string) =>
  `kasane:notebook:${code.toUpperCase()}:${participantId}`

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

export function loadNotebook(doc: Y.Doc, key: string): boolean {
  try {
    const stored = localStorage.getItem(key)
    if (!stored) return false
    Y.applyUpdate(doc, fromBase64(stored), ORIGIN)
    return true
  } catch {
    // A damaged copy is ignored; the server's copy still holds everything it has seen.
    return false
  }
}

export function saveNotebook(doc: Y.Doc, key: string): void {
  try {
    localStorage.setItem(key, toBase64(Y.encodeStateAsUpdate(doc)))
  } catch {
    // Storage full or disabled (private browsing): the server's copy remains the only one.
  }
}

export function forgetNotebook(key: string): void {
  try {
    localStorage.removeItem(key)
  } catch {
    // nothing stored
  }
}

/** Loads the device copy into `doc` and keeps it up to date; returns the detach function. */
export function persistNotebook(doc: Y.Doc, key: string): () => void {
  loadNotebook(doc, key)
  let timer: ReturnType<typeof setTimeout> | null = null
  let destroyed = false
  const onDestroy = () => {
    destroyed = true
  }
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (!destroyed) saveNotebook(doc, key)
  }
  const onUpdate = () => {
    if (!timer) timer = setTimeout(flush, SAVE_DELAY_MS)
  }
  const onHide = () => {
    if (document.visibilityState === 'hidden') flush()
  }
  doc.on('update', onUpdate)
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
