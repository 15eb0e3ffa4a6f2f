// The one line the Assistant panel shows above the composer: what an action did, or why it failed.
export interface Notice {
  tone: 'info' | 'error';
  text: string;
  /** A follow-up the user can take from the notice (e.g. "Undo anyway"). */
  action?: { label: string; run(): void };
}

export type SetNotice = (notice: Notice | null) => void;

export const messageOf = (error: unknown, fallback: string) =>
  error instanceof Error && error.message ? error.message : fallback;
