// Figures on the admin page: bytes in binary units, CPU as a percentage of one core.
import { formatBytes as formatAnyBytes } from '@/server/contracts';

export const formatBytes = (bytes: number) => formatAnyBytes(bytes, { iec: true });

export const formatCpu = (percent: number) => `${percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
