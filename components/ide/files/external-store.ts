'use client';
// A minimal external store for per-workbench state (one instance per mounted workbench, never
// a module singleton): immutable snapshots, read with useSyncExternalStore.
import { useSyncExternalStore } from 'react';

export class ExternalStore<S> {
  private listeners = new Set<() => void>();

  constructor(protected state: S) {}

  getState = (): S => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  protected setState(patch: Partial<S> | ((state: S) => Partial<S>)): void {
    const next = typeof patch === 'function' ? patch(this.state) : patch;
    this.state = { ...this.state, ...next };
    for (const listener of this.listeners) listener();
  }
}

export function useStore<S>(store: ExternalStore<S>): S {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
