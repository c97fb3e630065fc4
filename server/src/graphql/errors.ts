import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../shared/logger.js';
import { AppError } from '../shared/errors.js';

/**
 * Our own errors pass through; anything else becomes a bare INTERNAL error, logged with
 * its details on the server, so no stack, SQL or path ever reaches a client.
 */
export function maskError(logger: Logger) {
  return (error: unknown): Error => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    // Keep the located error graphql-js wrapped it in: it carries the path and locations
    // (and copies the AppError's extensions).
    if (original instanceof AppError) return error instanceof GraphQLError ? error : original;
    // GraphQL's own errors (syntax, validation, variable coercion) wrap only GraphQL errors.
    if (error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError)) return error;
    logger.error({ err: original }, 'unexpected error');
    return new GraphQLError('Internal server error.', {
      extensions: { code: 'INTERNAL' },
      ...(error instanceof GraphQLError ? { path: error.path } : {}),
    });
  };
}

/** The codes of the public contract; every error a client sees carries one of them. */
const contractCodes = new Set<string>(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'RATE_LIMITED', 'CONFLICT', 'INTERNAL']);

/**
 * graphql-js suggests names in its messages ('Did you mean "email"?', 'Did you mean the enum
 * value "OPEN"?'); armor hides them for fields and types only, so the rest go here.
 */
const withoutSuggestions = (message: string) => message.replace(/ ?Did you mean [^?]*\?/g, '');

/**
 * Errors GraphQL and yoga raise themselves (syntax, validation, variable coercion, operation
 * limits, a mutation over GET) carry no code or one of their own (GRAPHQL_PARSE_FAILED,
 * GRAPHQL_VALIDATION_FAILED, BAD_REQUEST); they are all the client's mistake, so they
 * become BAD_USER_INPUT.
 */
export function withContractCode(error: GraphQLError, requestError = false): GraphQLError {
  const code = error.extensions?.code;
  if (typeof code === 'string' && contractCodes.has(code)) return error;
  return new GraphQLError(withoutSuggestions(error.message), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: {
      ...error.extensions,
      code: code === 'INTERNAL_SERVER_ERROR' ? 'INTERNAL' : 'BAD_USER_INPUT',
      ...(requestError ? { http: { status: 400, spec: true, ...(error.extensions?.http as object) } } : {}),
    },
  });
}

/** The same for every error of a result, as yoga's HTTP transport sends it (websockets: graphql/websocket.ts). */
export function useErrorCodes(): Plugin {
  // A result without `data` is a request error (parse, validation, variable coercion): by the GraphQL over HTTP
  // spec 400 for application/graphql-response+json, 200 for legacy application/json (yoga reads `spec`).
  return {
    onResultProcess({ result, setResult }) {
      if (!result || typeof result !== 'object' || Array.isArray(result) || !('errors' in result) || !result.errors) return;
      const requestError = !('data' in result);
      setResult({ ...result, errors: result.errors.map((e) => withContractCode(e as GraphQLError, requestError)) });
    },
  };
}
