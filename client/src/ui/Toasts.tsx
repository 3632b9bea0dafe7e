// Short messages in a polite live region; each fades after a while or on dismissal.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

type Toast = { id: number; text: string; tone: 'info' | 'error' }
type Toaster = (text: string, tone?: Toast['tone']) => void

const ToastContext = createContext<Toaster>(() => {})

export const useToast = () => useContext(ToastContext)

const TOAST_MS = 6000

export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  const [toasts, setToasts] = useState<Toast[]>([])
  const next = useRef(1)
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((x) => x.id !== id)), [])
  const push = useCallback<Toaster>(
    (text, tone = 'info') => {
      const id = next.current++
      setToasts((ts) => [...ts.filter((x) => x.text !== text), { id, text, tone }].slice(-4))
      window.setTimeout(() => dismiss(id), TOAST_MS)
    },
    [dismiss],
  )
  const value = useMemo(() => push, [push])
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((x) => (
          <div key={x.id} className={`toast toast-${x.tone}`}>
            <span>{x.text}</span>
            <button type="button" className="btn-icon" aria-label={t('facilitator.dismiss')} onClick={() => dismiss(x.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  )
}
