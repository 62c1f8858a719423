import { createRequire } from 'node:module';

// botbuilder 4.23 serialises outgoing activities with @azure/core-client, which swaps the
// activity.entities element mapper for the registered "Entity" mapper (type, text, mentioned) and so
// drops every other property, although the Bot Framework activity spec allows any. The "AI generated"
// label (additionalType) and the citations vanish silently on the wire. botbuilder-js #2561/#2648 fixed
// this on a mapper that core-client now bypasses; here the registered mapper gets the fix instead.

type EntityMapper = { type: { additionalProperties?: unknown } };

/** Lets outgoing entities keep all their properties; false if botbuilder's internals moved (then log it). */
export function keepCustomEntityFields(): boolean {
  try {
    // Resolve the connector the way botbuilder itself does, wherever npm placed it.
    const requireFromBotbuilder = createRequire(createRequire(import.meta.url).resolve('botbuilder'));
    const mappers = requireFromBotbuilder('botframework-connector/lib/connectorApi/models/mappers') as {
      Entity?: EntityMapper;
    };
    if (!mappers.Entity?.type) return false;
    mappers.Entity.type.additionalProperties ??= { type: { name: 'Object' } };
    return true;
  } catch {
    return false;
  }
}
