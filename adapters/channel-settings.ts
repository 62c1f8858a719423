import { z } from 'zod';
import {
  languageNames,
  supportedLanguages,
  type ChannelDefaults,
  type JsonValue,
  type NavigatorStore,
  type Vocabulary,
} from '../src/index.js';

// What a channel's managers set for it (`/navigator settings` in Slack, the settings card in
// Teams), kept in the shared store under the channel's key ("slack:C123", "teams:19:…").

export interface ChannelSettings {
  /** Region slugs of the vocabulary, favoured in answers. */
  regions: string[];
  /** Level slugs of the vocabulary, favoured in answers. */
  levels: string[];
  /** The language of answers when a message's own is unsure; none: English. */
  language?: string;
  /** Answers only the asker sees, with a button to share them. */
  privateAnswers: boolean;
  /** The bot ignores the channel, except for its settings. */
  off: boolean;
}

/** The message that asks for the settings form: "settings" (also "setting", "config"). */
export const settingsWords = /^(settings?|config|configure)$/i;

export const defaultChannelSettings: ChannelSettings = {
  regions: [],
  levels: [],
  privateAnswers: false,
  off: false,
};

const storedSchema = z.object({
  regions: z.array(z.string()).catch([]),
  levels: z.array(z.string()).catch([]),
  language: z.string().optional().catch(undefined),
  privateAnswers: z.boolean().catch(false),
  off: z.boolean().catch(false),
});

/** The channel's settings; the defaults when none were saved (or what was saved is unreadable). */
export async function readChannelSettings(
  store: Pick<NavigatorStore, 'channelSettings'>,
  channelKey: string,
): Promise<ChannelSettings> {
  const stored = await store.channelSettings.get(channelKey);
  const parsed = storedSchema.safeParse(stored);
  return parsed.success ? { ...defaultChannelSettings, ...parsed.data } : defaultChannelSettings;
}

export async function saveChannelSettings(
  store: Pick<NavigatorStore, 'channelSettings'>,
  channelKey: string,
  settings: ChannelSettings,
  updatedBy?: string,
): Promise<void> {
  await store.channelSettings.set(channelKey, JSON.parse(JSON.stringify(settings)) as JsonValue, updatedBy);
}

/** The defaults the core applies as soft filters (and the language of notes). */
export function channelDefaults(settings: ChannelSettings): ChannelDefaults | undefined {
  if (settings.regions.length === 0 && settings.levels.length === 0 && !settings.language) return undefined;
  return { regions: settings.regions, levels: settings.levels, language: settings.language };
}

/** Options for the settings form, from the vocabulary: value and label. */
export interface SettingsChoices {
  regions: { value: string; label: string }[];
  levels: { value: string; label: string }[];
  languages: { value: string; label: string }[];
}

export function settingsChoices(vocabulary: Pick<Vocabulary, 'regions' | 'levels'>): SettingsChoices {
  const options = (map: Map<string, string>) => [...map].map(([value, label]) => ({ value, label }));
  return {
    regions: options(vocabulary.regions),
    levels: options(vocabulary.levels),
    languages: supportedLanguages.map((value) => ({ value, label: languageNames[value] })),
  };
}

/** Settings from the form's answers; values outside the choices are dropped. */
export function settingsFromForm(
  form: { regions?: string[]; levels?: string[]; language?: string; privateAnswers?: boolean; off?: boolean },
  choices: SettingsChoices,
): ChannelSettings {
  const known = (values: string[] | undefined, among: { value: string }[]) =>
    (values ?? []).filter((value) => among.some((choice) => choice.value === value));
  const language = known(form.language ? [form.language] : [], choices.languages)[0];
  return {
    regions: known(form.regions, choices.regions),
    levels: known(form.levels, choices.levels),
    ...(language && language !== 'en' ? { language } : {}),
    privateAnswers: form.privateAnswers ?? false,
    off: form.off ?? false,
  };
}

/** The settings in one line, for the confirmation: "Favoured region: Europe; answers private". */
export function describeSettings(settings: ChannelSettings, choices: SettingsChoices): string {
  const labels = (values: string[], among: { value: string; label: string }[]) =>
    values.map((value) => among.find((choice) => choice.value === value)?.label ?? value).join(', ');
  if (settings.off) return 'the Navigator is off in this channel (only its settings still answer)';
  return [
    settings.regions.length > 0 ? `favoured region: ${labels(settings.regions, choices.regions)}` : '',
    settings.levels.length > 0 ? `favoured level: ${labels(settings.levels, choices.levels)}` : '',
    settings.language ? `language when unsure: ${labels([settings.language], choices.languages)}` : '',
    settings.privateAnswers ? 'answers private by default' : 'answers in the channel',
  ]
    .filter(Boolean)
    .join('; ');
}

/** The defaults as stored in a job's payload. */
export const channelDefaultsSchema = z.object({
  regions: z.array(z.string()).optional(),
  levels: z.array(z.string()).optional(),
  language: z.string().optional(),
});
