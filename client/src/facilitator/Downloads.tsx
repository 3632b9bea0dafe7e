// Report PDF, every sheet as a ZIP, and the JSON export: fetched with the token in a header, with
// progress, then saved through a blob link.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { currentLang } from '../i18n'
import { ApiError, download } from '../net/api'
import { useToast } from '../ui/Toasts'

type Item = { id: 'report' | 'sheets' | 'json'; label: string; path: string; file: string }

export function Downloads({ code, token }: { code: string; token: string }) {
  const { t, i18n } = useTranslation()
  const toast = useToast()
  const [busy, setBusy] = useState<{ id: string; fraction: number | null } | null>(null)
  const lang = currentLang(i18n)
  const items: Item[] = [
    { id: 'report', label: t('facilitator.reportPdf'), path: `/api/workshops/${code}/report.pdf?lang=${lang}`, file: `kasane-${code}-report.pdf` },
    { id: 'sheets', label: t('facilitator.sheetsZip'), path: `/api/workshops/${code}/sheets.zip?lang=${lang}`, file: `kasane-${code}-sheets.zip` },
    { id: 'json', label: t('facilitator.exportJson'), path: `/api/workshops/${code}/export.json`, file: `kasane-${code}.json` },
  ]
  const get = async (item: Item) => {
    setBusy({ id: item.id, fraction: null })
    try {
      const blob = await download(item.path, token, (fraction) => setBusy({ id: item.id, fraction }))
      const url = URL.createObjectURL(blob)
      const a = document.createElement('a')
      a.href = url
      a.download = item.file
      document.body.append(a)
      a.click()
      a.remove()
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000)
    } catch (e) {
      toast(t('facilitator.downloadFailed', { message: e instanceof ApiError ? e.message : String(e) }), 'error')
    } finally {
      setBusy(null)
    }
  }
  return (
    <section className="panel" aria-labelledby="downloads-title">
      <h2 id="downloads-title" className="panel-title">
        {t('facilitator.downloads')}
      </h2>
      <div className="row wrap">
        {items.map((item) => (
          <button key={item.id} type="button" className="btn btn-small" disabled={!!busy} onClick={() => get(item)}>
            ⬇ {item.label}
          </button>
        ))}
      </div>
      {busy && (
        <p className="muted" role="status">
          {t('facilitator.downloading', { percent: busy.fraction === null ? '' : `${Math.round(busy.fraction * 100)}%` })}
          <progress max={1} value={busy.fraction ?? undefined} />
        </p>
      )}
    </section>
  )
}
