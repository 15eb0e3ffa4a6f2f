'use client';
import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'ghost-danger';

const styles: Record<Variant, string> = {
  primary: 'bg-accent text-white hover:bg-accent/90',
  secondary: 'bg-panel-2 text-gray-100 border border-edge hover:bg-edge',
  danger: 'bg-danger text-white hover:bg-danger/90',
  ghost: 'text-gray-300 hover:bg-panel-2',
  // A colour passed in className cannot override a variant's (class order in the CSS decides).
  'ghost-danger': 'text-danger hover:bg-danger/10',
};

export function Button({
  variant = 'primary',
  className = '',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return (
    <button
      {...props}
      className={`inline-flex items-center justify-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50 ${styles[variant]} ${className}`}
    />
  );
}
