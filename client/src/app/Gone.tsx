// The full-page states that cannot be recovered from: removed, workshop gone, bad facilitator link.
import { useTranslation } from 'react-i18next'
import { Header } from './Header'

type Props = { kind: 'removed' | 'gone' | 'facilitatorUnknown' | 'noToken'; code: string; onRejoin?(): void }

export function Gone({ kind, onRejoin }: Props) {
  const { t } = useTranslation()
  const title = kind === 'removed' ? t('errors.removedTitle') : kind === 'gone' ? t('errors.goneTitle') : t('facilitator.console')
  return (
    <>
      <Header />
      <main id="main" className="page page-narrow">
        <div className="notice-card" role="alert">
          <h1>{title}</h1>
          <p>{t(`errors.${kind}`)}</p>
          <p className="row">
            {kind === 'removed' && onRejoin && (
              <button type="button" className="btn btn-primary" onClick={onRejoin}>
                {t('errors.rejoin')}
              </button>
            )}
            <a className="btn" href="/">
              {t('errors.home')}
            </a>
          </p>
        </div>
      </main>
    </>
  )
}
