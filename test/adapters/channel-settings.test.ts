import { describe, expect, it } from 'vitest';
import {
  channelDefaults,
  defaultChannelSettings,
  describeSettings,
  readChannelSettings,
  settingsChoices,
  settingsFromForm,
} from '../../adapters/channel-settings.js';
import type { JsonValue } from '../../src/index.js';

const choices = settingsChoices({
  regions: new Map([['europe', 'Europe']]),
  levels: new Map([['local', 'Local government']]),
});
const storeWith = (value: JsonValue | undefined) => ({
  channelSettings: { get: async () => value, set: async () => {} },
});

describe('channel settings', () => {
  it('keeps only the choices the form offered; English is no default language', () => {
    const settings = settingsFromForm(
      { regions: ['europe', 'atlantis'], levels: ['local', 'galactic'], language: 'en', off: true },
      choices,
    );
    expect(settings).toEqual({ regions: ['europe'], levels: ['local'], privateAnswers: false, off: true });
    expect(settingsFromForm({ language: 'fr' }, choices).language).toBe('fr');
    expect(settingsFromForm({ language: 'xx' }, choices).language).toBeUndefined();
  });

  it('gives the core defaults only when something is set', () => {
    expect(channelDefaults(defaultChannelSettings)).toBeUndefined();
    expect(channelDefaults({ ...defaultChannelSettings, regions: ['europe'] })).toEqual({
      regions: ['europe'],
      levels: [],
      language: undefined,
    });
  });

  it('reads nothing saved, or something unreadable, as the defaults', async () => {
    expect(await readChannelSettings(storeWith(undefined), 'slack:C1')).toEqual(defaultChannelSettings);
    expect(await readChannelSettings(storeWith('garbage'), 'slack:C1')).toEqual(defaultChannelSettings);
    expect(await readChannelSettings(storeWith({ off: 'yes', regions: ['europe'] }), 'slack:C1')).toEqual({
      ...defaultChannelSettings,
      regions: ['europe'],
    });
  });

  it('describes the settings in words for the confirmation', () => {
    const settings = { ...defaultChannelSettings, regions: ['europe'], language: 'fr', privateAnswers: true };
    expect(describeSettings(settings, choices)).toBe(
      'favoured region: Europe; language when unsure: French; answers private by default',
    );
  });
});
