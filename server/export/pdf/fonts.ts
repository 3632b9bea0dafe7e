// Noto Sans JP, Regular and Bold, parsed once per process. pdfkit accepts a parsed fontkit font and
// makes its own subset per document, so every PDF embeds only the glyphs it uses.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as fontkit from 'fontkit'

export type FontFace = 'regular' | 'bold'

const FILES: Record<FontFace, string> = {
  regular: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
}

/** One face: the parsed font, with glyph coverage and advance widths cached per code point. */
export class Face {
  private readonly covered = new Map<number, boolean>()
  private readonly advances = new Map<number, number>()
  constructor(readonly font: fontkit.Font) {}

  has(cp: number): boolean {
    let v = this.covered.get(cp)
    if (v === undefined) {
      v = this.font.hasGlyphForCodePoint(cp)
      this.covered.set(cp, v)
    }
    return v
  }

  /** Advance width of one code point in units of the font size (1 = one em). */
  advance(cp: number): number {
    let w = this.advances.get(cp)
    if (w === undefined) {
      w = this.has(cp) ? this.font.glyphForCodePoint(cp).advanceWidth / this.font.unitsPerEm : 0.6
      this.advances.set(cp, w)
    }
    return w
  }

  /** Width of a string at a font size, without kerning (kerning only narrows a line). */
  width(text: string, size: number): number {
    let w = 0
    for (const ch of text) w += this.advance(ch.codePointAt(0)!)
    return w * size
  }
}

let faces: Record<FontFace, Face> | null = null

export function loadFaces(): Record<FontFace, Face> {
  if (!faces) {
    const require = createRequire(import.meta.url)
    const open = (f: FontFace) => new Face(fontkit.create(readFileSync(require.resolve(FILES[f]))))
    faces = { regular: open('regular'), bold: open('bold') }
  }
  return faces
}
