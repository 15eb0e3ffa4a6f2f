'use client';
// The signed-in user's id (the History says "you" for their own deployments).
import { useEffect, useState } from 'react';
import type { UserDto } from '@/server/contracts';
import { api } from '../api-client';

export function useMyId(): string | null {
  const [id, setId] = useState<string | null>(null);
  useEffect(() => {
    api<UserDto>('/me').then(
      (user) => setId(user.id),
      () => undefined,
    );
  }, []);
  return id;
}
