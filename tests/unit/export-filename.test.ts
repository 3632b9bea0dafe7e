// Download names: safe in a ZIP on any file system, and a Content-Disposition every browser reads.
import { describe, expect, it } from 'vitest'
import { contentDisposition, safeFilePart } from '../../server/export/filename.js'

describe('safeFilePart', () => {
  it('keeps Japanese and English names readable', () => {
    expect(safeFilePart('山田 花子')).toBe('山田 花子')
    expect(safeFilePart('Alex  Morgan')).toBe('Alex Morgan')
  })

  it('removes path separators, reserved and invisible characters', () => {
    const out = safeFilePart('../..\\etc/passwd:*?"<>|\u202Eexe.pdf\u0000')
    expect(out).not.toMatch(/[\\/:*?"<>|\u0000\u202E]/)
    expect(out.startsWith('.')).toBe(false)
  })

  it('bounds the length by code points and never answers empty', () => {
    expect(Array.from(safeFilePart('😀'.repeat(100))).length).toBe(40)
    expect(safeFilePart('\u200b\u200b')).toBe('participant')
    expect(safeFilePart('...')).toBe('participant')
  })
})

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name', () => {
    const h = contentDisposition('kasane-ABCDEF-山田 花子.pdf')
    expect(h).toBe(`attachment; filename="kasane-ABCDEF-__ __.pdf"; filename*=UTF-8''kasane-ABCDEF-%E5%B1%B1%E7%94%B0%20%E8%8A%B1%E5%AD%90.pdf`)
    expect(contentDisposition(`a"b'(c).pdf`)).toBe(`attachment; filename="a_b'(c).pdf"; filename*=UTF-8''a%22b%27%28c%29.pdf`)
  })
})
