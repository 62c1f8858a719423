import { randomUUID } from 'node:crypto';

// Activities shaped as Microsoft Teams posts them to a bot (ids, channelData and entities as Teams
// sends them).

export const botId = '28:00000000-0000-0000-0000-0000000000b0';
export const botName = 'PSI Navigator';
const tenant = { id: '72f988bf-0000-0000-0000-000000000000' };
const user = { id: '29:1user-teams-id', name: 'Ana Civil Servant', aadObjectId: '6b1e-aad-user' };

export interface Where {
  serviceUrl: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  conversationId: string;
}

export const personalChat = (serviceUrl: string, conversationId = 'a:1personal-chat-id'): Where => ({
  serviceUrl,
  conversationType: 'personal',
  conversationId,
});
export const channelThread = (serviceUrl: string, rootId = '1700000000001'): Where => ({
  serviceUrl,
  conversationType: 'channel',
  conversationId: `19:general-channel@thread.tacv2;messageid=${rootId}`,
});

function base(where: Where) {
  return {
    id: `${Date.now()}${Math.floor(Math.random() * 1000)}`,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    serviceUrl: where.serviceUrl,
    channelId: 'msteams',
    from: user,
    recipient: { id: botId, name: botName },
    conversation: {
      conversationType: where.conversationType,
      tenantId: tenant.id,
      id: where.conversationId,
      ...(where.conversationType === 'personal' ? {} : { isGroup: true }),
    },
    channelData: {
      tenant,
      ...(where.conversationType === 'channel'
        ? {
            teamsChannelId: '19:general-channel@thread.tacv2',
            teamsTeamId: '19:team@thread.tacv2',
            channel: { id: '19:general-channel@thread.tacv2' },
            team: { id: '19:team@thread.tacv2' },
          }
        : {}),
    },
    locale: 'en-GB',
  };
}

/** A typed message; with `mention`, it starts with the bot's <at> mention as Teams writes it. */
export function message(where: Where, text: string, options: { mention?: boolean } = {}) {
  const mentionText = `<at>${botName}</at>`;
  return {
    ...base(where),
    type: 'message',
    text: options.mention ? `${mentionText} ${text}` : text,
    textFormat: 'plain',
    attachments: [],
    entities: [
      ...(options.mention
        ? [{ type: 'mention', text: mentionText, mentioned: { id: botId, name: botName } }]
        : []),
      { type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' },
    ],
  };
}

/** What Teams posts when an Action.Submit button is pressed on card `cardActivityId`. */
export function cardSubmit(where: Where, value: Record<string, unknown>, cardActivityId: string) {
  return {
    ...base(where),
    type: 'message',
    replyToId: cardActivityId,
    value,
    channelData: {
      ...base(where).channelData,
      source: { name: 'message' },
      legacy: { replyToId: cardActivityId },
    },
  };
}

/** The conversationUpdate Teams sends when the app is installed in a chat or team. */
export function botAdded(where: Where) {
  return {
    ...base(where),
    type: 'conversationUpdate',
    membersAdded: [{ id: botId }],
    channelData: { ...base(where).channelData, eventType: 'teamMemberAdded' },
  };
}

/** The invoke Teams sends when a user presses the built-in 👍/👎 under bot message `botMessageId`. */
export function feedbackInvoke(
  where: Where,
  botMessageId: string,
  reaction: 'like' | 'dislike',
  feedbackText?: string,
) {
  return {
    ...base(where),
    type: 'invoke',
    name: 'message/submitAction',
    replyToId: botMessageId,
    value: {
      actionName: 'feedback',
      actionValue: { reaction, feedback: JSON.stringify({ feedbackText: feedbackText ?? '' }) },
    },
  };
}

export const newId = () => randomUUID();
