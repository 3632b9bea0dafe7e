// Open connections per client address, bounded so that one address cannot exhaust a node, and
// high enough that a whole office behind one address gets in (100 people × board, notebook and
// control connection).
export class AddressSlots {
  private open = new Map<string, number>()

  constructor(private max = 1000) {}

  /** Takes a slot; false when the address already holds `max`. */
  take(address: string): boolean {
    const n = this.open.get(address) ?? 0
    if (n >= this.max) return false
    this.open.set(address, n + 1)
    return true
  }

  release(address: string): void {
    const n = (this.open.get(address) ?? 1) - 1
    if (n > 0) this.open.set(address, n)
    else this.open.delete(address)
  }
}
