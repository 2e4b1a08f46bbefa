import { fileURLToPath } from 'node:url'
import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

export default defineConfig({
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      // Registered by src/data/swBridge.ts through workbox-window, in production builds only.
      injectRegister: false,
      injectManifest: { globPatterns: ['**/*.{js,css,html}'] },
      includeAssets: ['icons/apple-touch-icon.png', 'icons/icon.svg'],
      manifest: {
        id: '/',
        name: 'Fieldline',
        short_name: 'Fieldline',
        description: "Your day's jobs, on your phone, with or without signal.",
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#0b3a5b',
        background_color: '#f4f6f8',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: '/icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      devOptions: { enabled: false },
    }),
  ],
  resolve: {
    // Dexie's ES2021 build instead of its ES5 one (app and service worker; see the file).
    alias: [
      {
        find: /^dexie$/,
        replacement: fileURLToPath(new URL('./offline/dexieModern.mjs', import.meta.url)),
      },
    ],
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      // Files named for what they hold (issue 16): the bundler names an entry `index` and a
      // shared chunk after its first module (`jsxRuntime`, `commands`), which says little.
      // Names only: what goes in which chunk is unchanged, so the first-screen budget and the
      // precache list are too.
      output: {
        entryFileNames: 'assets/app-[hash].js',
        chunkFileNames: (chunk) => `assets/${chunkName(chunk)}-[hash].js`,
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
})

/** Shared and lazy data chunks by what they hold; a lazy screen's chunk keeps its screen's name. */
function chunkName(chunk: { name: string; moduleIds: readonly string[] }): string {
  const has = (part: string) => chunk.moduleIds.some((id) => id.includes(part))
  if (has('/src/data/commands.ts')) return 'actions' // the commands, perform() and the action schemas
  if (has('/offline/syncEngine.ts')) return 'sync' // drain, pull, pre-load, retention (lazy)
  if (has('/offline/outbox.ts')) return 'outbox' // the queue's writers and each action's local effect
  if (has('/node_modules/preact/')) return 'preact' // Preact, its hooks and signals
  return chunk.name
}
