// The choices a sync offers, with the words the dialog shows for them.
import type { ConflictChoice, ConflictStrategy, SyncMode } from '@/server/contracts';

export const MODE_OPTIONS: { id: SyncMode; label: string; hint: string }[] = [
  { id: 'upload', label: 'Upload', hint: 'Send this side’s changes; only the remote changes' },
  { id: 'download', label: 'Download', hint: 'Take the remote’s changes; only this side changes' },
  { id: 'both', label: 'Both ways', hint: 'Changes go where they are missing, either way' },
];

export const STRATEGY_OPTIONS: { id: ConflictStrategy; label: string; hint: string }[] = [
  { id: 'local', label: 'Local wins', hint: 'This side’s version is kept on both' },
  { id: 'remote', label: 'Remote wins', hint: 'The remote’s version is kept on both' },
  {
    id: 'merge',
    label: 'Merge',
    hint: 'Text: a three-way merge, with conflict markers where both changed the same lines. Binaries: keep both',
  },
  { id: 'ask', label: 'Ask', hint: 'Show the conflicts side by side and choose per file' },
];

/** The per-file answers to `ask`; "Merge" of a binary keeps both copies. */
export function choiceLabel(choice: ConflictChoice, text: boolean): string {
  switch (choice) {
    case 'local':
      return 'Keep local';
    case 'remote':
      return 'Take remote';
    case 'merge':
      return text ? 'Merge' : 'Keep both';
    default: {
      const exhaustive: never = choice;
      return exhaustive;
    }
  }
}
