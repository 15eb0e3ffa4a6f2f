// REST contract for accounts and personal access tokens.
import { z } from 'zod';

export const signupSchema = z.object({
  email: z
    .string({ error: 'Email is required' })
    .trim()
    .toLowerCase()
    .pipe(z.email('Enter a valid email address').max(254)),
  password: z
    .string({ error: 'Password is required' })
    .min(8, 'Password must be at least 8 characters')
    .max(200, 'Password must be at most 200 characters'),
  name: z
    .string({ error: 'Name is required' })
    .trim()
    .min(1, 'Name must not be empty')
    .max(100, 'Name must be at most 100 characters'),
});
export type SignupInput = z.infer<typeof signupSchema>;

export const createTokenSchema = z.object({
  name: z
    .string({ error: 'Name is required' })
    .trim()
    .min(1, 'Name must not be empty')
    .max(64, 'Name must be at most 64 characters'),
});

export interface UserDto {
  id: string;
  email: string;
  name: string;
  /** true on GET /api/v1/me for admins only (the header then shows the Admin link). */
  isAdmin?: boolean;
}

export interface TokenDto {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Returned once, when the token is made; only its hash is kept. */
export interface CreatedTokenDto extends TokenDto {
  token: string;
}

export interface ApiErrorBody {
  error: string;
  message: string;
  fieldErrors?: Record<string, string[]>;
}

const newPassword = z
  .string({ error: 'New password is required' })
  .min(8, 'Password must be at least 8 characters')
  .max(200, 'Password must be at most 200 characters');

export const changePasswordSchema = z.object({
  currentPassword: z.string({ error: 'Current password is required' }).min(1, 'Current password is required').max(200),
  newPassword,
});

export const deleteAccountSchema = z.object({
  email: z.string({ error: 'Type your email to confirm' }).max(254),
});

export const resetPasswordSchema = z.object({
  token: z.string({ error: 'The link is incomplete' }).min(1).max(200),
  newPassword,
});

export const forgotPasswordSchema = z.object({
  email: z
    .string({ error: 'Email is required' })
    .trim()
    .toLowerCase()
    .pipe(z.email('Enter a valid email address').max(254)),
});

export const idParamsSchema = z.object({ id: z.string().min(1).max(64) });

/** A signed-in browser (GET /api/v1/me/sessions). */
export interface SessionDto {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  ip: string | null;
  /** The session this request came with. */
  current: boolean;
}

/** What the sign-in page needs to know before anyone signs in (GET /api/v1/auth/options). */
export interface AuthOptionsDto {
  /** "Forgot password?" mails a link; otherwise the page says to ask an admin. */
  mail: boolean;
  signup: boolean;
  /** BERTH_URL: the one address sockets are accepted from (the workbench names it when opened elsewhere). */
  berthUrl: string;
}

export interface ResetLinkDto {
  url: string;
  expiresAt: string;
}
