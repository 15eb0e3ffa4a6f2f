// Berth serves the preview on its own host, p-<id>.<preview domain>. Next.js's dev server
// refuses its own scripts and hot-reload socket to pages from hosts it does not know; *.localhost
// (Berth's default preview domain) is allowed already, BERTH_PREVIEW_DOMAIN covers the rest.
const previewDomain = process.env.BERTH_PREVIEW_DOMAIN;

/** @type {import('next').NextConfig} */
const nextConfig = {
  allowedDevOrigins: previewDomain ? [`*.${previewDomain}`] : [],
};

export default nextConfig;
