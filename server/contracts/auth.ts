// REST contract for accounts and personal access tokens.
import { z } from 'zod';

export const signupSchema = z.object({
  email: z.string({ error: 'Email is required' }).trim().toLowerCase().pipe(z.email('Enter a valid email address').max(254)),
  password: z
    .string({ error: 'Password is required' })
    .min(8, 'Password must be at least 8 characters')
    .max(200, 'Password must be at most 200 characters'),
  name: z.string({ error: 'Name is required' }).trim().min(1, 'Name must not be empty').max(100, 'Name must be at most 100 characters'),
});
export type SignupInput = z.infer<typeof signupSchema>;

export const createTokenSchema = z.object({
  name: z.string({ error: 'Name is required' }).trim().min(1, 'Name must not be empty').max(64, 'Name must be at most 64 characters'),
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
