// Where a container sits in a document: the name of its root and the keys from the root down to
// it. The write check judges every new item and every deletion by this location alone, so it is
// computed once per type and check, and never creates a root (doc.get would).
import * as Y from 'yjs'

// Yjs types are parameterised by their event type; the check treats all of them alike.
export type AnyType = Y.AbstractType<any>

/** A map key, or null for a position in a sequence (array elements, characters of a text). */
export type Key = string | null
export type Loc = { root: string; path: readonly Key[] }

/**
 * A container items go into: an existing type of the document, or one the update creates.
 * `id` identifies the container for the per-container tallies of the limits.
 */
export type Parent = { id: object; loc: Loc; existing: AnyType | null }

export class Locator {
  private readonly byType = new Map<AnyType, Parent>()
  private readonly missingRoots = new Map<string, Parent>()
  private rootNames: Map<AnyType, string> | null = null

  constructor(private readonly doc: Y.Doc) {}

  ofType(type: AnyType): Parent {
    const known = this.byType.get(type)
    if (known) return known
    const path: Key[] = []
    let t: AnyType = type
    while (t._item !== null) {
      path.push(t._item.parentSub)
      const up = t._item.parent
      // Every item of a document has a type as its parent; anything else has no location.
      if (!(up instanceof Y.AbstractType)) return this.remember(type, { root: '', path: [] })
      t = up
    }
    path.reverse()
    return this.remember(type, { root: this.rootName(t), path })
  }

  /** A root named by a new item: the document's type when it exists, a placeholder otherwise. */
  ofRoot(name: string): Parent {
    const existing = this.doc.share.get(name)
    if (existing) return this.ofType(existing)
    let p = this.missingRoots.get(name)
    if (!p) {
      p = { id: {}, loc: { root: name, path: [] }, existing: null }
      this.missingRoots.set(name, p)
    }
    return p
  }

  private remember(type: AnyType, loc: Loc): Parent {
    const p: Parent = { id: type, loc, existing: type }
    this.byType.set(type, p)
    return p
  }

  private rootName(type: AnyType): string {
    if (!this.rootNames) {
      this.rootNames = new Map()
      for (const [name, t] of this.doc.share) this.rootNames.set(t, name)
    }
    return this.rootNames.get(type) ?? ''
  }
}
