import { z } from 'zod';

// Query strings arrive as text: these coerce and still refuse garbage.
export const queryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');
/** Where a page of a list starts: opaque to clients. */
export const Cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/);
