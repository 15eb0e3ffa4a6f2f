import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Berth serves the preview on its own host, p-<id>.<preview domain>, and Vite answers only hosts
// it knows: *.localhost (Berth's default preview domain) is one, BERTH_PREVIEW_DOMAIN adds yours.
const previewDomain = process.env.BERTH_PREVIEW_DOMAIN;

export default defineConfig({
  plugins: [react()],
  server: { host: '0.0.0.0', port: 5173, allowedHosts: previewDomain ? [`.${previewDomain}`] : [] },
});
