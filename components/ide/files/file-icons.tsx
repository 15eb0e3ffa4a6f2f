'use client';
// File-type icons as small inline SVGs (no icon font, no emoji font needed): folders in amber,
// files as a page tinted by type.
import type { FileEntry } from '@/server/contracts';

const BY_EXTENSION: Record<string, string> = {
  ts: '#3178c6',
  mts: '#3178c6',
  cts: '#3178c6',
  tsx: '#4fc3f7',
  jsx: '#4fc3f7',
  js: '#e8d44d',
  mjs: '#e8d44d',
  cjs: '#e8d44d',
  json: '#cbcb41',
  md: '#519aba',
  mdx: '#519aba',
  txt: '#8b93a3',
  html: '#e44d26',
  htm: '#e44d26',
  css: '#42a5f5',
  scss: '#cd6799',
  sass: '#cd6799',
  less: '#2a4d80',
  png: '#a074c4',
  jpg: '#a074c4',
  jpeg: '#a074c4',
  gif: '#a074c4',
  svg: '#ffb13b',
  webp: '#a074c4',
  ico: '#a074c4',
  avif: '#a074c4',
  sh: '#89e051',
  bash: '#89e051',
  py: '#3572a5',
  rb: '#cc342d',
  go: '#00add8',
  rs: '#dea584',
  java: '#b07219',
  yml: '#cb171e',
  yaml: '#cb171e',
  toml: '#9c4221',
  env: '#ecd53f',
  lock: '#8b93a3',
  sql: '#e38c00',
  zip: '#b0b0b0',
  gz: '#b0b0b0',
  tgz: '#b0b0b0',
  pdf: '#e5534b',
};
const BY_NAME: Record<string, string> = { 'package.json': '#cb3837', Dockerfile: '#2496ed', '.gitignore': '#f54d27' };

export function fileColor(name: string): string {
  const byName = BY_NAME[name];
  if (byName) return byName;
  const dot = name.lastIndexOf('.');
  return (dot >= 0 && BY_EXTENSION[name.slice(dot + 1).toLowerCase()]) || '#8b93a3';
}

export function FileIcon({ entry, open = false }: { entry: Pick<FileEntry, 'name' | 'kind'>; open?: boolean }) {
  if (entry.kind === 'dir')
    return (
      <svg viewBox="0 0 16 16" className="h-3.5 w-3.5 shrink-0" aria-hidden>
        {open ? (
          <path
            d="M1.5 3.5a1 1 0 0 1 1-1h3.3l1.4 1.5h5.3a1 1 0 0 1 1 1V6H4.2L1.5 12.5z M4.2 6h11l-2.6 7H1.5z"
            fill="#dcb67a"
          />
        ) : (
          <path
            d="M1.5 3.5a1 1 0 0 1 1-1h3.3l1.4 1.5h6.3a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z"
            fill="#dcb67a"
          />
        )}
      </svg>
    );
  const color = entry.kind === 'symlink' ? '#4fc1ff' : fileColor(entry.name);
  return (
    <svg viewBox="0 0 16 16" className="h-3.5 w-3.5 shrink-0" aria-hidden>
      <path d="M3.5 1.5h6l3 3v10h-9z" fill="none" stroke={color} strokeWidth="1.2" strokeLinejoin="round" />
      <path d="M5.5 8h5M5.5 10.5h5" stroke={color} strokeWidth="1.2" />
    </svg>
  );
}

export function LockIcon({ className = 'h-3 w-3' }: { className?: string }) {
  return (
    <svg viewBox="0 0 16 16" className={`${className} shrink-0`} aria-hidden>
      <rect x="3" y="7" width="10" height="7.5" rx="1.2" fill="#e8b14d" />
      <path d="M5.2 7V5a2.8 2.8 0 0 1 5.6 0v2" fill="none" stroke="#e8b14d" strokeWidth="1.5" />
    </svg>
  );
}

const IMAGE = /\.(png|jpe?g|gif|webp|svg|ico|avif|bmp)$/i;
export const isImagePath = (path: string) => IMAGE.test(path);
