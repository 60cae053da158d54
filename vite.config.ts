import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation (COOP + COEP) makes SharedArrayBuffer available, which onnxruntime-web
// needs for its multi-threaded WASM build. Both servers must send the headers, or threads silently
// fall back to one.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  // Pre-bundling onnxruntime-web breaks how it locates its thread workers (RUNTIME-FACTS.md).
  // Workers' dependencies are listed too: otherwise Vite discovers them only when a worker starts and
  // reloads the page mid-load in dev.
  optimizeDeps: {
    exclude: ['onnxruntime-web'],
    include: ['long', 'protobufjs/minimal.js', 'react', 'react-dom', 'react-dom/client', 'zustand', 'recharts'],
    entries: ['index.html', 'src/worker/*.worker.ts'],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
