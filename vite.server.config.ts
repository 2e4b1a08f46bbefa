import { defineConfig } from 'vite'

// Bundles the API server (server/main.ts and the protocol it shares with the app) into one
// ES module for Node; packages in node_modules stay external and load at run time.
export default defineConfig({
  build: {
    ssr: 'server/main.ts',
    outDir: 'dist-server',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: 'main.js' } },
  },
})
