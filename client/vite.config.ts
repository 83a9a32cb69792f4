import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const API_SERVER = 'http://localhost:3000';

export default defineConfig({
  // Anchored to this folder so the config works from the repo root too
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    // No changeOrigin: the API sees the browser's host, so the session cookie stays same-origin
    proxy: {
      '/api': { target: API_SERVER },
      '/healthz': { target: API_SERVER },
      '/socket.io': { target: API_SERVER, ws: true },
      '/collab': { target: API_SERVER, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Lists each entry's chunks and their imports; scripts/size.mjs reads it to total what the sign-in page loads
    manifest: true,
  },
});
