import * as z from 'zod';

/** Identifiers shared with the ticket system: 1–128 of `A-Z a-z 0-9 . _ : @ -`, starting with a letter or digit. */
export const IdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'must be 1-128 characters of A-Z a-z 0-9 . _ : @ -, starting with a letter or digit');

export const LOCALES = ['vi', 'en', 'zh'] as const;
export const LocaleSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof LocaleSchema>;
