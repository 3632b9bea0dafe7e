// A new workshop: title, language and 1–20 vision items → the facilitator console.
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS } from '../../../shared/limits'
import type { Locale } from '../../../shared/protocol'
import { currentLang } from '../i18n'
import { ApiError, createWorkshop } from '../net/api'
import { saveFacilitator, saveJoinUrl } from '../net/tokens'
import { navigate } from './router'

type Item = { key: number; title: string; body: string }

export function CreateForm() {
  const { t, i18n } = useTranslation()
  const [title, setTitle] = useState('')
  const [locale, setLocale] = useState<Locale>(currentLang(i18n))
  const [items, setItems] = useState<Item[]>([{ key: 1, title: '', body: '' }])
  const [nextKey, setNextKey] = useState(2)
  const [createKey, setCreateKey] = useState('')
  const [needsKey, setNeedsKey] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const setItem = (key: number, patch: Partial<Item>) => setItems((xs) => xs.map((x) => (x.key === key ? { ...x, ...patch } : x)))

  async function submit(e: FormEvent) {
    e.preventDefault()
    const vision = items.filter((x) => x.title.trim()).map((x) => ({ title: x.title.trim(), ...(x.body.trim() ? { body: x.body.trim() } : {}) }))
    if (!title.trim() || vision.length === 0) {
      setError(t('join.invalid'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      const res = await createWorkshop({ title: title.trim(), locale, vision }, createKey || undefined)
      saveFacilitator(res.code, res.facilitatorToken)
      saveJoinUrl(res.code, res.joinUrl)
      navigate(`/f/${res.code}`)
    } catch (err) {
      setBusy(false)
      if (err instanceof ApiError && (err.code === 'UNAUTHORIZED' || err.code === 'FORBIDDEN')) {
        setNeedsKey(true)
        setError(err.message)
      } else if (err instanceof ApiError && err.code === 'INVALID') setError(`${t('join.invalid')} (${err.message})`)
      else if (err instanceof ApiError && err.code === 'NETWORK') setError(t('join.network'))
      else setError(t('join.failed'))
    }
  }

  return (
    <form className="form create-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="create-title">{t('home.title')}</label>
        <input id="create-title" className="input" value={title} maxLength={LIMITS.title} onChange={(e) => setTitle(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="create-locale">{t('home.locale')}</label>
        <select id="create-locale" className="input" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
          <option value="ja">日本語</option>
          <option value="en">English</option>
        </select>
      </div>
      <fieldset className="field vision-fields">
        <legend>{t('home.vision')}</legend>
        <p className="hint">{t('home.visionHint')}</p>
        {items.map((item, i) => (
          <div className="vision-field" key={item.key}>
            <input
              className="input"
              aria-label={t('home.visionItem', { n: i + 1 })}
              placeholder={t('home.visionItem', { n: i + 1 })}
              value={item.title}
              maxLength={LIMITS.title}
              onChange={(e) => setItem(item.key, { title: e.target.value })}
            />
            <textarea
              className="input"
              rows={2}
              aria-label={t('home.visionBody', { n: i + 1 })}
              placeholder={t('home.visionBody', { n: i + 1 })}
              value={item.body}
              maxLength={LIMITS.visionBody}
              onChange={(e) => setItem(item.key, { body: e.target.value })}
            />
            {items.length > 1 && (
              <button
                type="button"
                className="btn btn-small"
                aria-label={t('home.removeVision', { n: i + 1 })}
                onClick={() => setItems((xs) => xs.filter((x) => x.key !== item.key))}
              >
                ×
              </button>
            )}
          </div>
        ))}
        {items.length < LIMITS.visionMax && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setItems((xs) => [...xs, { key: nextKey, title: '', body: '' }])
              setNextKey((k) => k + 1)
            }}
          >
            + {t('home.addVision')}
          </button>
        )}
      </fieldset>
      {needsKey && (
        <div className="field">
          <label htmlFor="create-key">{t('home.createKey')}</label>
          <input id="create-key" className="input" type="password" value={createKey} onChange={(e) => setCreateKey(e.target.value)} />
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? t('home.creating') : t('home.create')}
      </button>
    </form>
  )
}
