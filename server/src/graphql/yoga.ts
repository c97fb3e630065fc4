import { createYoga } from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { schema } from '../schema.js';
import { createContext, type ClientInfo, type Context } from '../context.js';
import type { Deps } from '../deps.js';
import { maskError, useErrorCodes } from './errors.js';

/** What the HTTP layer hands yoga about each request. */
export type ServerContext = { client: ClientInfo; requestId: string };

/** Limits on what one operation may ask for, so no query can exhaust the server. */
export const operationLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 20,
  /**
   * With a depth factor of 1 the cost is about the most fields an operation can resolve
   * (each list counts `first`/`last` times): a dashboard page of 100 conversations with
   * their visitor and last message costs ~3,200, while lists nested in lists (100 x 100)
   * cost 80,000 and are refused. The default factor of 1.5 grows with every level and
   * refused ordinary pages (20 conversations with their last message: 6,054).
   */
  maxCost: 10_000,
  costDepthFactor: 1,
};

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
    context: ({ request, client }) => createContext(deps, request.headers.get('authorization'), client),
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: operationLimits.maxDepth, flattenFragments: true },
        maxAliases: { n: operationLimits.maxAliases },
        maxTokens: { n: operationLimits.maxTokens },
        maxDirectives: { n: operationLimits.maxDirectives },
        costLimit: { maxCost: operationLimits.maxCost, depthCostFactor: operationLimits.costDepthFactor },
        blockFieldSuggestion: { enabled: true },
      }),
      useErrorCodes(),
    ],
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQL>;
