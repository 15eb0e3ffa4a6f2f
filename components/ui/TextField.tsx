'use client';
import { useId, type InputHTMLAttributes } from 'react';

export function TextField({
  label,
  error,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string }) {
  const id = useId();
  return (
    <label htmlFor={id} className="flex flex-col gap-1 text-sm">
      <span className="text-gray-300">{label}</span>
      <input
        id={id}
        {...props}
        aria-invalid={Boolean(error)}
        className="rounded-md border border-edge bg-surface px-3 py-2 text-gray-100 placeholder:text-muted focus:border-accent focus:outline-none"
      />
      {error ? <span className="text-xs text-danger">{error}</span> : null}
    </label>
  );
}
