import { z } from 'zod';

// What every reader of the environment shares: an empty variable counts as unset.

export const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

export const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
