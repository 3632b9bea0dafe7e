import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'

// One config for the client build (client/ → dist/client) and the test runner.
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: { outDir: '../dist/client', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3001',
      '/healthz': 'http://127.0.0.1:3001',
      '/socket.io': { target: 'ws://127.0.0.1:3001', ws: true },
      '/yjs': { target: 'ws://127.0.0.1:3001', ws: true },
    },
  },
  test: {
    root: '.',
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
})
