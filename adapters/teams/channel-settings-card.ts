import type { Attachment } from 'botbuilder';
import { z } from 'zod';
import type { ChannelSettings, SettingsChoices } from '../channel-settings.js';

// The Teams settings card: Adaptive Card 1.5 inputs built from the vocabulary, saved with an
// Action.Execute (an `adaptiveCard/action` invoke the bot answers to the presser alone).

/** The verb of the card's Save button. */
export const settingsVerb = 'navigator.settings';

/**
 * There is no private (ephemeral) reply in a Teams channel, so the card has no "private answers"
 * switch: answers stay in the thread, and a person who wants one privately asks in the personal chat.
 */
export function settingsCard(settings: ChannelSettings, choices: SettingsChoices): Attachment {
  const choiceSet = (
    id: string,
    label: string,
    among: { value: string; label: string }[],
    value: string[],
    isMultiSelect: boolean,
  ) => ({
    type: 'Input.ChoiceSet',
    id,
    label,
    style: 'compact',
    isMultiSelect,
    choices: among.map((choice) => ({ title: choice.label, value: choice.value })),
    ...(value.length > 0 ? { value: value.join(',') } : {}),
  });
  return {
    contentType: 'application/vnd.microsoft.card.adaptive',
    content: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'PSI Navigator settings for this channel', weight: 'bolder', wrap: true },
        {
          type: 'TextBlock',
          text:
            'A favoured region or level is preferred in answers, never required. ' +
            'Only team owners can save these settings.',
          wrap: true,
          isSubtle: true,
        },
        choiceSet('regions', 'Favoured regions', choices.regions, settings.regions, true),
        choiceSet('levels', 'Favoured levels of government', choices.levels, settings.levels, true),
        choiceSet(
          'language',
          'Language when a message’s own is unclear',
          choices.languages,
          [settings.language ?? 'en'],
          false,
        ),
        {
          type: 'Input.Toggle',
          id: 'off',
          title: 'Off in this channel (ignore mentions here, except “settings”)',
          value: settings.off ? 'true' : 'false',
          valueOn: 'true',
          valueOff: 'false',
        },
      ],
      actions: [
        { type: 'Action.Execute', verb: settingsVerb, title: 'Save', data: { action: settingsVerb } },
      ],
    },
  };
}

const list = z
  .string()
  .optional()
  .transform((value) =>
    value
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : [],
  );

const saveSchema = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.literal(settingsVerb),
    data: z.object({
      regions: list,
      levels: list,
      language: z.string().optional(),
      off: z.enum(['true', 'false']).optional(),
    }),
  }),
});

/** The form's answers from the Save invoke, or undefined when the invoke is something else. */
export function readSettingsSave(value: unknown) {
  const parsed = saveSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { regions, levels, language, off } = parsed.data.action.data;
  return { regions, levels, language, off: off === 'true' };
}
