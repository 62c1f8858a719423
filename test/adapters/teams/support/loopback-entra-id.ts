import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import https, { type Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';

// A loopback stand-in for Microsoft Entra ID (login.microsoftonline.com), so that botbuilder's real
// MSAL client gets the bot's token for its proactive replies without the internet. MSAL only
// trusts an https authority it knows, so the stand-in answers for that host name: a certificate for
// it (made here with openssl, trusted by this process alone) and an https agent that connects every
// request for that host to the loopback port. Nothing else is redirected.

export const entraHost = 'login.microsoftonline.com';

export interface TokenRequest {
  tenant: string;
  clientId?: string;
  clientSecret?: string;
  grantType?: string;
  scope?: string;
}

export interface LoopbackEntraId {
  tokenRequests: TokenRequest[];
  /** The access tokens handed out, in order. */
  issued: string[];
  close(): Promise<void>;
}

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'psi-entra-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${entraHost}`,
      '-addext',
      `subjectAltName=DNS:${entraHost}`,
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
  };
}

/** Starts the stand-in and routes this process's https requests for login.microsoftonline.com to it. */
export async function startLoopbackEntraId(): Promise<LoopbackEntraId> {
  const { key, cert } = selfSignedCertificate();
  const tokenRequests: TokenRequest[] = [];
  const issued: string[] = [];
  const server = https.createServer({ key, cert }, (request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', `https://${entraHost}`);
      const [tenant, ...rest] = url.pathname.slice(1).split('/');
      const path = rest.join('/');
      const base = `https://${entraHost}/${tenant}`;
      const json = (status: number, value: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (request.method === 'GET' && path === 'v2.0/.well-known/openid-configuration')
        return json(200, {
          issuer: `https://${entraHost}/${tenant}/v2.0`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/oauth2/v2.0/token`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'id_token', 'token'],
        });
      if (request.method === 'POST' && path === 'oauth2/v2.0/token') {
        const form = new URLSearchParams(body);
        tokenRequests.push({
          tenant: tenant ?? '',
          clientId: form.get('client_id') ?? undefined,
          clientSecret: form.get('client_secret') ?? undefined,
          grantType: form.get('grant_type') ?? undefined,
          scope: form.get('scope') ?? undefined,
        });
        const token = `entra-token-${randomUUID()}`;
        issued.push(token);
        return json(200, {
          token_type: 'Bearer',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: token,
        });
      }
      json(404, { error: 'not_found', error_description: `${request.method} ${url.pathname}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const original = https.globalAgent;
  const agent: Agent = new https.Agent({ keepAlive: false });
  const defaultConnection = agent.createConnection.bind(agent);
  // Only the stand-in's host goes to loopback, trusting its certificate; any other https request
  // is left as it was (and the tests make none).
  agent.createConnection = (options, callback) =>
    options.host === entraHost || options.servername === entraHost
      ? connect({ host: '127.0.0.1', port, servername: entraHost, ca: cert })
      : defaultConnection(options, callback);
  https.globalAgent = agent;

  return {
    tokenRequests,
    issued,
    async close() {
      https.globalAgent = original;
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
