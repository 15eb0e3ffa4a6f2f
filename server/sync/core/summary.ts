// The one-line result people expect after a sync: `↑ 3 files · ↓ 1 file · ↑ 2 conversations · ⚠ 0 conflicts`.
import type { SyncResultDto } from '../../contracts/sync';

type SummaryInput = Pick<
  SyncResultDto,
  'filesUploaded' | 'filesDownloaded' | 'conversationsUploaded' | 'conversationsDownloaded' | 'conflicts'
>;

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Files both ways and the conflicts always; conversations when any moved or when `conversationsSynced`
 * says the two sides sync them (a plain folder does not).
 */
export function formatSyncSummary(result: SummaryInput, options: { conversationsSynced?: boolean } = {}): string {
  const parts = [`↑ ${count(result.filesUploaded, 'file')}`, `↓ ${count(result.filesDownloaded, 'file')}`];
  const conversationsMoved = result.conversationsUploaded > 0 || result.conversationsDownloaded > 0;
  if (conversationsMoved || options.conversationsSynced) {
    if (result.conversationsUploaded > 0 || !result.conversationsDownloaded)
      parts.push(`↑ ${count(result.conversationsUploaded, 'conversation')}`);
    if (result.conversationsDownloaded > 0) parts.push(`↓ ${count(result.conversationsDownloaded, 'conversation')}`);
  }
  parts.push(`⚠ ${count(result.conflicts.length, 'conflict')}`);
  return parts.join(' · ');
}
