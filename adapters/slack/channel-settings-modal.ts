import type { types } from '@slack/bolt';
import type { ChannelSettings, SettingsChoices } from '../channel-settings.js';
import { callbackIds } from './interaction-ids.js';

// The `/navigator settings` modal: selects built from the vocabulary, the channel in private_metadata.

type Option = types.PlainTextOption;
const option = (choice: { value: string; label: string }): Option => ({
  text: { type: 'plain_text', text: choice.label.slice(0, 75) },
  value: choice.value,
});

const switches = {
  privateAnswers: ['Answers private by default', 'Only the asker sees them, with “Share in channel”'],
  off: ['Off in this channel', 'Ignores mentions and questions here, except /navigator settings'],
} as const;

/** The settings modal for `channel`, showing what is set now. */
export function channelSettingsModal(
  channel: string,
  settings: ChannelSettings,
  choices: SettingsChoices,
): types.View {
  const chosen = (values: string[], among: { value: string; label: string }[]) =>
    among.filter((choice) => values.includes(choice.value)).map(option);
  const regions = chosen(settings.regions, choices.regions);
  const levels = chosen(settings.levels, choices.levels);
  const language = chosen([settings.language ?? 'en'], choices.languages)[0];
  const on = (Object.keys(switches) as (keyof typeof switches)[]).filter((key) => settings[key]);
  const switchOption = (key: keyof typeof switches): Option => ({
    text: { type: 'plain_text', text: switches[key][0] },
    description: { type: 'plain_text', text: switches[key][1] },
    value: key,
  });
  return {
    type: 'modal',
    callback_id: callbackIds.channelSettingsModal,
    private_metadata: channel,
    title: { type: 'plain_text', text: 'Navigator settings' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text:
              `For <#${channel}>. Default region and level are favoured in answers, never required: ` +
              'a question that names another region still gets it.',
          },
        ],
      },
      {
        type: 'input',
        block_id: 'regions',
        optional: true,
        label: { type: 'plain_text', text: 'Favoured regions' },
        element: {
          type: 'multi_static_select',
          action_id: 'value',
          options: choices.regions.map(option),
          ...(regions.length > 0 ? { initial_options: regions } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'levels',
        optional: true,
        label: { type: 'plain_text', text: 'Favoured levels of government' },
        element: {
          type: 'multi_static_select',
          action_id: 'value',
          options: choices.levels.map(option),
          ...(levels.length > 0 ? { initial_options: levels } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'language',
        optional: true,
        label: { type: 'plain_text', text: 'Language when a message’s own is unclear' },
        element: {
          type: 'static_select',
          action_id: 'value',
          options: choices.languages.map(option),
          ...(language ? { initial_option: language } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'switches',
        optional: true,
        label: { type: 'plain_text', text: 'Answers' },
        element: {
          type: 'checkboxes',
          action_id: 'value',
          options: (Object.keys(switches) as (keyof typeof switches)[]).map(switchOption),
          ...(on.length > 0 ? { initial_options: on.map(switchOption) } : {}),
        },
      },
    ],
  };
}

type StateValue = { selected_options?: { value: string }[]; selected_option?: { value: string } | null };

/** The form's answers from a view_submission's state. */
export function readSettingsModal(values: Record<string, Record<string, StateValue>>) {
  const many = (block: string) => values[block]?.value?.selected_options?.map((item) => item.value) ?? [];
  const switchesOn = many('switches');
  return {
    regions: many('regions'),
    levels: many('levels'),
    language: values.language?.value?.selected_option?.value,
    privateAnswers: switchesOn.includes('privateAnswers'),
    off: switchesOn.includes('off'),
  };
}
