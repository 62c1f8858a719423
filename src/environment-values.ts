import { z } from 'zod';

// What every reader of the environment shares: an empty variable counts as unset.

export const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

export const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

/** The parsed values of a group of variables, each of which may be unset. */
export type ValuesOf<Shape extends Record<string, z.ZodType>> = {
  [name in keyof Shape]?: z.output<Shape[name]>;
};

/**
 * An optional whole number of at least `min`; `message` says what is expected ("must be a whole
 * number of requests such as 1024") and `minMessage` what the least is.
 */
export function optionalWholeNumber(options: {
  message: string;
  min: number;
  minMessage: string;
  max?: number;
}) {
  const { message, min, minMessage, max } = options;
  const atLeast = z.coerce.number({ message }).int({ message }).min(min, { message: minMessage });
  return z.preprocess(emptyToUndefined, (max === undefined ? atLeast : atLeast.max(max)).optional());
}
