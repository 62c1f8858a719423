import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

// A loopback Bot Framework token issuer: OpenID metadata and a JWKS with a locally generated RSA key,
// the way botbuilder's own tests stand in for login.botframework.com. Tokens are signed with that key.

export const channelTokenIssuer = 'https://api.botframework.com';

export interface TokenIssuer {
  /** For BOTFRAMEWORK_OPENID_METADATA_URL. */
  metadataUrl: string;
  /** A token as the Bot Connector would send it to app `appId` for an activity from `serviceUrl`. */
  sign(claims: { appId: string; serviceUrl: string; issuer?: string; expiresInSeconds?: number }): string;
  /** Same claims and key id, signed with a key the metadata does not publish. */
  signWithForeignKey(claims: { appId: string; serviceUrl: string }): string;
  close(): Promise<void>;
}

export async function startTokenIssuer(): Promise<TokenIssuer> {
  const keyId = 'test-signing-key';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  let base = '';
  const server: Server = createServer((request, response) => {
    if (request.url === '/v1/.well-known/openidconfiguration') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer: channelTokenIssuer,
          jwks_uri: `${base}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else if (request.url === '/v1/.well-known/keys') {
      const jwk = publicKey.export({ format: 'jwk' });
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [{ ...jwk, kid: keyId, use: 'sig', endorsements: ['msteams'] }] }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signWith = (
    key: KeyObject,
    claims: { appId: string; serviceUrl: string; issuer?: string; expiresInSeconds?: number },
  ) =>
    jwt.sign({ serviceurl: claims.serviceUrl }, key, {
      algorithm: 'RS256',
      keyid: keyId,
      issuer: claims.issuer ?? channelTokenIssuer,
      audience: claims.appId,
      expiresIn: claims.expiresInSeconds ?? 3600,
    });
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    sign: (claims) => signWith(privateKey, claims),
    signWithForeignKey: (claims) => signWith(foreign, claims),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
