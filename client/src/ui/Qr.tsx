// A QR code drawn from the `qrcode` package's SVG string, shown as an image (never as markup).
import { useEffect, useState } from 'react'
import QRCode from 'qrcode'

export function Qr({ text, label, size = 200 }: { text: string; label: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
      .then((svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`))
      .catch(() => live && setSrc(null))
    return () => {
      live = false
    }
  }, [text])
  if (!src) return <div className="qr qr-empty" style={{ width: size, height: size }} />
  return <img className="qr" src={src} alt={label} width={size} height={size} />
}
