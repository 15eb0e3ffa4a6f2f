'use client';
// Whether the user has any remote Berth: the dashboard reads links and sync lights only then
// (one request for the list instead of one per project for everyone else).
import { useEffect, useState } from 'react';
import { listRemotes } from './sync-api';

export function useHasRemotes(): boolean {
  const [has, setHas] = useState(false);
  useEffect(() => {
    listRemotes().then(
      (remotes) => setHas(remotes.length > 0),
      () => setHas(false),
    );
  }, []);
  return has;
}
