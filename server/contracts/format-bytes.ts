// Byte counts as people read them, in binary steps as `df -h` shows them (1 KB = 1024 B);
// `iec` spells the units KiB, MiB… (the admin page, next to the engine's memory figures).
// Shared by the server's messages and the browser.
export function formatBytes(bytes: number, { iec = false }: { iec?: boolean } = {}): string {
  const units = iec ? ['B', 'KiB', 'MiB', 'GiB', 'TiB'] : ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
