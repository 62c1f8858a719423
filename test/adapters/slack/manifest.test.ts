import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callbackIds, slashCommand } from '../../../adapters/slack/interaction-ids.js';

const manifest = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'adapters', 'slack', 'manifest.json'), 'utf8'),
);

describe('the Slack app manifest', () => {
  it('points Slack at the ids and the endpoint the adapter listens on', () => {
    expect(manifest.features.slash_commands.map((command: { command: string }) => command.command)).toEqual([
      slashCommand,
    ]);
    expect(
      manifest.features.shortcuts.map((shortcut: { callback_id: string }) => shortcut.callback_id).sort(),
    ).toEqual([callbackIds.submitCaseGlobalShortcut, callbackIds.submitCaseMessageShortcut].sort());
    const urls = [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      ...manifest.features.slash_commands.map((command: { url: string }) => command.url),
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe('/slack/events');
  });

  it('asks for the events and scopes the adapter uses; channel messages only on opt-in', () => {
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([
      'app_home_opened',
      'app_mention',
      'message.im',
    ]);
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'app_mentions:read',
        'assistant:write',
        'chat:write',
        'commands',
        'im:history',
        // conversations.replies: the thread a mention replies in.
        'channels:history',
        'groups:history',
      ]),
    );
    // Thread follow-ups without a mention (NAVIGATOR_SLACK_THREAD_FOLLOW_UPS) need these events
    // added by hand; by default Slack does not send every channel message.
    expect(manifest.settings.event_subscriptions.bot_events).not.toContain('message.channels');
    expect(manifest.settings.event_subscriptions.bot_events).not.toContain('message.groups');
    expect(manifest.features.agent_view.agent_description.length).toBeGreaterThan(0);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('turns on the Home tab, whose app_home_opened event is subscribed', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
  });
});
