/// <reference types="vite/client" />
// Kasane's browser entry point.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { createI18n } from './i18n'
import './styles/app.css'

const i18n = createI18n()
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App i18n={i18n} />
  </StrictMode>,
)
