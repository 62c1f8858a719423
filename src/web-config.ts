import { z } from 'zod';
import { emptyToUndefined, optionalString, type ValuesOf } from './environment-values.js';

// The web chat at / and the curator console at /curate, read from the environment: who may ask,
// how curators sign in (a token, OpenID Connect) and the chat's own ask limits.

export const webEnvironment = {
  NAVIGATOR_WEB_CHAT: z.preprocess(
    emptyToUndefined,
    z
      .enum(['open', 'sign-in', 'off'], {
        message: 'must be "open" (anyone may ask, default), "sign-in" (signed-in users only) or "off"',
      })
      .optional(),
  ),
  NAVIGATOR_CURATOR_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .min(24, { message: 'must be at least 24 characters (e.g. the output of `openssl rand -hex 24`)' })
      .optional(),
  ),
  NAVIGATOR_CURATOR_CONTACT: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^(mailto:[^\s@]+@[^\s@]+|https?:\/\/\S+)$/, {
        message: 'must be a mailto: address or an http(s) link, e.g. mailto:curators@example.org',
      })
      .optional(),
  ),
  NAVIGATOR_WEB_ASKS_PER_MINUTE: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a whole number such as 10' }).int().min(1).max(10_000).optional(),
  ),
  NAVIGATOR_WEB_ASKS_PER_MINUTE_PER_IP: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a whole number such as 30' }).int().min(1).max(100_000).optional(),
  ),
  OIDC_ISSUER: z.preprocess(
    emptyToUndefined,
    z
      .url({ message: "must be the identity provider's issuer URL, e.g. https://login.example.org" })
      .optional(),
  ),
  OIDC_CLIENT_ID: optionalString,
  NAVIGATOR_CURATORS: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_REDIRECT_URI: z.preprocess(
    emptyToUndefined,
    z
      .url({
        message: 'must be the full callback URL, e.g. https://navigator.example.org/auth/oidc/callback',
      })
      .optional(),
  ),
};

type WebValues = ValuesOf<typeof webEnvironment>;

export interface WebSettings {
  /** open: anyone may ask; sign-in: only signed-in users; off: no chat page (the console stays). */
  chat: 'open' | 'sign-in' | 'off';
  /** NAVIGATOR_CURATOR_TOKEN: signs a curator in on small deployments. */
  curatorToken?: string;
  /** Where "Ask a curator" leads (mailto: or a link); absent: no hand-off button. */
  curatorContact?: string;
  asksPerMinute: { user: number; ip: number };
  /** OpenID Connect sign-in with the organisation's identity provider. */
  oidc?: { issuer: string; clientId: string; clientSecret?: string; redirectUri: string };
  /**
   * NAVIGATOR_CURATORS: e-mail addresses or subject ids of the OpenID Connect users who may use the
   * console; others may only chat. Absent: everyone the identity provider lets in is a curator.
   */
  curators?: string[];
}

/** OpenID Connect needs its issuer, client id and redirect URI together. */
export function oidcProblems(values: WebValues): string[] {
  const set = [
    values.OIDC_ISSUER,
    values.OIDC_CLIENT_ID,
    values.OIDC_CLIENT_SECRET,
    values.OIDC_REDIRECT_URI,
  ];
  if (!set.some(Boolean)) return [];
  const missing = (
    [
      ['OIDC_ISSUER', values.OIDC_ISSUER, "the identity provider's issuer URL"],
      ['OIDC_CLIENT_ID', values.OIDC_CLIENT_ID, 'the client id registered for the Navigator'],
      ['OIDC_REDIRECT_URI', values.OIDC_REDIRECT_URI, 'https://<this server>/auth/oidc/callback'],
    ] as const
  ).filter(([, value]) => !value);
  return missing.map(
    ([name, , hint]) => `${name}: is missing but other OIDC_* variables are set; set it to ${hint}`,
  );
}

export function webSettings(values: WebValues): WebSettings {
  return {
    chat: values.NAVIGATOR_WEB_CHAT ?? 'open',
    curatorToken: values.NAVIGATOR_CURATOR_TOKEN,
    curatorContact: values.NAVIGATOR_CURATOR_CONTACT,
    ...(values.NAVIGATOR_CURATORS
      ? {
          curators: values.NAVIGATOR_CURATORS.split(',')
            .map((name) => name.trim().toLowerCase())
            .filter(Boolean),
        }
      : {}),
    asksPerMinute: {
      user: values.NAVIGATOR_WEB_ASKS_PER_MINUTE ?? 10,
      ip: values.NAVIGATOR_WEB_ASKS_PER_MINUTE_PER_IP ?? 30,
    },
    ...(values.OIDC_ISSUER && values.OIDC_CLIENT_ID && values.OIDC_REDIRECT_URI
      ? {
          oidc: {
            issuer: values.OIDC_ISSUER,
            clientId: values.OIDC_CLIENT_ID,
            clientSecret: values.OIDC_CLIENT_SECRET,
            redirectUri: values.OIDC_REDIRECT_URI,
          },
        }
      : {}),
  };
}
