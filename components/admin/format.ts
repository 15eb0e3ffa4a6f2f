// Figures on the admin page: bytes in binary units, CPU as a percentage of one core.
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export const formatCpu = (percent: number) => `${percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
