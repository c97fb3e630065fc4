import { createYoga } from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { schema } from '../schema.js';
import { contextFor, createContext, type ClientInfo, type Context } from '../context.js';
import type { Viewer } from '../modules/auth/viewer.js';
import type { Deps } from '../deps.js';
import { maskError, useErrorCodes } from './errors.js';
import { useCostLimit } from './cost-limit.js';
import { operationLimits } from '../shared/limits.js';

/**
 * What the transport hands yoga: the client's details, and for websockets the viewer
 * already resolved from connection_init.
 */
export type ServerContext = { client: ClientInfo; requestId?: string; viewer?: Viewer };

/** The GraphQL endpoint: schema, context, limits and error masking, shared by HTTP and websockets. */
export function createGraphQL(deps: Deps) {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    // GraphiQL is rendered from the package, so the page loads nothing from a CDN.
    renderGraphiQL,
    graphiql: { title: 'Live chat API' },
    landingPage: false,
    logging: deps.logger,
    maskedErrors: { maskError: maskError(deps.logger) },
    context: ({ request, client, viewer }) =>
      viewer ? contextFor(deps, viewer, client) : createContext(deps, request.headers.get('authorization'), client),
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: operationLimits.maxDepth, flattenFragments: true },
        maxAliases: { n: operationLimits.maxAliases },
        maxTokens: { n: operationLimits.maxTokens },
        maxDirectives: { n: operationLimits.maxDirectives },
        // armor's cost limit cannot see variables; useCostLimit does
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: true },
      }),
      useCostLimit(),
      useErrorCodes(),
    ],
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQL>;
