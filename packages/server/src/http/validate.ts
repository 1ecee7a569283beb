import type { z } from 'zod';
import { fromZodError } from '../errors.js';

/** Parses outside input through its protocol schema; a mismatch is a 400 `validation_failed`. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}
