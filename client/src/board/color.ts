// Readable text on a participant's colour, and a pale tint of it for backgrounds.
function rgb(hex: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{6})$/i.exec(hex)
  if (!m) return null
  const n = parseInt(m[1]!, 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

export function textOn(hex: string): string {
  const c = rgb(hex)
  if (!c) return '#111827'
  const [r, g, b] = c.map((v) => {
    const s = v / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
  return lum > 0.35 ? '#111827' : '#ffffff'
}

export function tint(hex: string, amount = 0.85): string {
  const c = rgb(hex)
  if (!c) return '#f1f5f9'
  const mix = c.map((v) => Math.round(v + (255 - v) * amount))
  return `rgb(${mix.join(',')})`
}

/** A darker shade for text in the participant's colour on white. */
export function shade(hex: string, amount = 0.35): string {
  const c = rgb(hex)
  if (!c) return '#334155'
  return `rgb(${c.map((v) => Math.round(v * (1 - amount))).join(',')})`
}
