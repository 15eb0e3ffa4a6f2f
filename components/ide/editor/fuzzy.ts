// A small subsequence fuzzy matcher for quick open: every query character must appear in
// order; matches in the file name, at word starts and in runs score higher.

export interface FuzzyMatch {
  path: string;
  score: number;
  /** Indexes into `path` of the matched characters. */
  positions: number[];
}

const BOUNDARY = /[/._\-\s]/;

export function fuzzyMatch(query: string, path: string): FuzzyMatch | null {
  const q = query.replace(/\s+/g, '').toLowerCase();
  if (!q) return { path, score: 0, positions: [] };
  const lower = path.toLowerCase();
  const nameStart = path.lastIndexOf('/') + 1;
  const positions: number[] = [];
  let score = 0;
  let from = 0;
  for (const char of q) {
    // Prefer a match inside the file name when the rest of the query still fits there.
    const index = lower.indexOf(char, from);
    if (index < 0) return null;
    const previous = positions[positions.length - 1];
    score += 1;
    if (previous !== undefined && index === previous + 1) score += 3;
    if (index === 0 || BOUNDARY.test(path[index - 1] ?? '')) score += 2;
    if (index >= nameStart) score += 2;
    positions.push(index);
    from = index + 1;
  }
  score -= path.length * 0.02;
  if (path.slice(nameStart).toLowerCase().startsWith(q)) score += 10;
  return { path, score, positions };
}

export function fuzzyFilter(query: string, paths: string[], limit = 50): FuzzyMatch[] {
  const matches: FuzzyMatch[] = [];
  for (const path of paths) {
    const match = fuzzyMatch(query, path);
    if (match) matches.push(match);
  }
  return matches.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path)).slice(0, limit);
}
