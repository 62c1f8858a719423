import { z } from 'zod';

// A hand-written zod schema for the part of the Adaptive Cards 1.5 schema
// (adaptivecards.io/schemas/1.5.0/adaptive-card.json) the Teams adapter uses: AdaptiveCard, TextBlock,
// Container, FactSet, ActionSet, Action.Submit, Action.Execute and Action.OpenUrl. Like the official
// schema, every object is closed (unknown properties fail) and enumerations take the documented values; it is
// stricter in one way: element and action types outside this subset fail too. No registry package
// ships the 1.5 JSON schema (adaptivecards 1.2.3 and 3.0.6 ship none; adaptivecards-designer ships
// a 1.0-era schema), hence this transcription.

const spacing = z.enum(['default', 'none', 'small', 'medium', 'large', 'extraLarge', 'padding']);
const colors = z.enum(['default', 'dark', 'light', 'accent', 'good', 'warning', 'attention']);
const fontSize = z.enum(['default', 'small', 'medium', 'large', 'extraLarge']);
const fontWeight = z.enum(['default', 'lighter', 'bolder']);
const fontType = z.enum(['default', 'monospace']);
const horizontalAlignment = z.enum(['left', 'center', 'right']);
const verticalAlignment = z.enum(['top', 'center', 'bottom']);
const containerStyle = z.enum(['default', 'emphasis', 'good', 'attention', 'warning', 'accent']);
const actionStyle = z.enum(['default', 'positive', 'destructive']);
const uriReference = z
  .string()
  .min(1)
  .refine((value) => !/\s/.test(value), { message: 'must be a URI reference' });

const actionBase = {
  title: z.string().optional(),
  iconUrl: uriReference.optional(),
  id: z.string().optional(),
  style: actionStyle.optional(),
  tooltip: z.string().optional(), // 1.5
  isEnabled: z.boolean().optional(), // 1.5
  mode: z.enum(['primary', 'secondary']).optional(), // 1.5
  requires: z.record(z.string(), z.string()).optional(),
};
const submitAction = z.strictObject({
  type: z.literal('Action.Submit'),
  data: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  associatedInputs: z.enum(['auto', 'none']).optional(),
  ...actionBase,
});
const openUrlAction = z.strictObject({ type: z.literal('Action.OpenUrl'), url: uriReference, ...actionBase });
const executeAction = z.strictObject({
  type: z.literal('Action.Execute'), // 1.4
  verb: z.string().optional(),
  data: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  associatedInputs: z.enum(['auto', 'none']).optional(),
  ...actionBase,
});
const action = z.union([submitAction, openUrlAction, executeAction]);

const elementBase = {
  id: z.string().optional(),
  isVisible: z.boolean().optional(),
  requires: z.record(z.string(), z.string()).optional(),
  separator: z.boolean().optional(),
  spacing: spacing.optional(),
  height: z.enum(['auto', 'stretch']).optional(),
};
const textBlock = z.strictObject({
  type: z.literal('TextBlock'),
  text: z.string(),
  color: colors.optional(),
  fontType: fontType.optional(),
  horizontalAlignment: horizontalAlignment.optional(),
  isSubtle: z.boolean().optional(),
  maxLines: z.number().int().positive().optional(),
  size: fontSize.optional(),
  weight: fontWeight.optional(),
  wrap: z.boolean().optional(),
  style: z.enum(['default', 'heading']).optional(), // 1.5
  ...elementBase,
});
const factSet = z.strictObject({
  type: z.literal('FactSet'),
  facts: z.array(z.strictObject({ title: z.string(), value: z.string() })),
  ...elementBase,
});
const actionSet = z.strictObject({ type: z.literal('ActionSet'), actions: z.array(action), ...elementBase });

type TextBlock = z.infer<typeof textBlock>;
type FactSet = z.infer<typeof factSet>;
type ActionSet = z.infer<typeof actionSet>;
interface Container {
  type: 'Container';
  items: CardElement[];
  [key: string]: unknown;
}
type CardElement = TextBlock | FactSet | ActionSet | Container;

const element: z.ZodType<CardElement> = z.lazy(() => z.union([textBlock, factSet, actionSet, container]));
const container: z.ZodType<Container> = z.strictObject({
  type: z.literal('Container'),
  items: z.array(element),
  style: containerStyle.optional(),
  verticalContentAlignment: verticalAlignment.optional(),
  bleed: z.boolean().optional(),
  minHeight: z.string().optional(),
  selectAction: submitAction.optional(),
  ...elementBase,
});

/** A top-level Adaptive Card of version 1.5 built from the elements above. */
export const adaptiveCard15Schema = z.strictObject({
  type: z.literal('AdaptiveCard'),
  version: z.literal('1.5'),
  $schema: z.string().optional(),
  body: z.array(element).optional(),
  actions: z.array(action).optional(),
  selectAction: submitAction.optional(),
  fallbackText: z.string().optional(),
  minHeight: z.string().optional(),
  rtl: z.boolean().optional(), // 1.5
  speak: z.string().optional(),
  lang: z.string().optional(),
  verticalContentAlignment: verticalAlignment.optional(),
});

/** Every TextBlock text in a card, depth first. */
export function textsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(textsOf);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = record.type === 'TextBlock' && typeof record.text === 'string' ? [record.text] : [];
  return [...own, ...textsOf(record.body), ...textsOf(record.items)];
}
