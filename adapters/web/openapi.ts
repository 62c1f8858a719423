import { z } from 'zod';
import type { ApiRoute } from './api-route.js';
import { errorSchema } from './api-schemas.js';

// OpenAPI 3.1 from the same zod schemas the routes check with (JSON Schema 2020-12 dialect).

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};

const json = (schema: z.ZodType, io: 'input' | 'output') => ({
  'application/json': { schema: toSchema(schema, io) },
});

function queryParameters(route: ApiRoute): unknown[] {
  if (!route.query) return [];
  const schema = toSchema(route.query, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

function pathParameters(path: string): unknown[] {
  return [...path.matchAll(/:(\w+)/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function operation(route: ApiRoute) {
  const success = route.events
    ? {
        description:
          'A stream of server-sent events: ' +
          Object.keys(route.events)
            .map((name) => `"${name}"`)
            .join(', ') +
          '; each data line is JSON (schemas under x-events).',
        content: { 'text/event-stream': { schema: { type: 'string' } } },
      }
    : { description: 'OK', content: json(route.response, 'output') };
  const responses: Record<string, unknown> = {
    200: success,
    400: { description: 'Malformed request', content: json(errorSchema, 'output') },
    401: { description: 'No session, or sign-in required', content: json(errorSchema, 'output') },
    ...(route.method === 'post'
      ? { 403: { description: 'Missing or wrong x-csrf-token', content: json(errorSchema, 'output') } }
      : {}),
  };
  for (const [status, error] of Object.entries(route.errors ?? {}))
    responses[status] = {
      description: error.description,
      content: json(error.schema ?? errorSchema, 'output'),
    };
  return {
    summary: route.summary,
    parameters: [...pathParameters(route.path), ...queryParameters(route)],
    ...(route.body ? { requestBody: { required: true, content: json(route.body, 'input') } } : {}),
    responses,
    ...(route.events
      ? {
          'x-events': Object.fromEntries(
            Object.entries(route.events).map(([name, schema]) => [name, toSchema(schema, 'output')]),
          ),
        }
      : {}),
    ...(route.method === 'post'
      ? { security: [{ session: [], csrf: [] }] }
      : { security: [{ session: [] }] }),
  };
}

/** The OpenAPI 3.1 document of the given routes. */
export function buildOpenApiDocument(routes: readonly ApiRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'PSI Navigator web API',
      version: '1',
      description:
        'The JSON API of the web chat (/) and the curator console (/curate). Start with GET ' +
        '/api/session: it sets the session cookie and returns the CSRF token to send as x-csrf-token.',
    },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'navigator_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
      },
    },
  };
}
