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
    if (original instanceof AppError) return original;
    // GraphQL's own errors (syntax, validation, variable coercion) wrap only GraphQL errors.
    if (error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError)) return error;
    logger.error({ err: original }, 'unexpected error');
    return new GraphQLError('Internal server error.', {
      extensions: { code: 'INTERNAL' },
      ...(error instanceof GraphQLError ? { path: error.path } : {}),
    });
  };
}

/**
 * Errors GraphQL itself raises (syntax, validation, variable coercion, operation limits)
 * carry no code; they are all the client's mistake, so they become BAD_USER_INPUT.
 */
export function useErrorCodes(): Plugin {
  // A result without `data` is a request error (parse, validation, variable coercion): 400 by the GraphQL over HTTP spec.
  const withCode = (error: GraphQLError, requestError: boolean) =>
    error.extensions?.code
      ? error
      : new GraphQLError(error.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          extensions: {
            ...error.extensions,
            code: 'BAD_USER_INPUT',
            ...(requestError ? { http: { status: 400, ...(error.extensions?.http as object) } } : {}),
          },
        });
  return {
    onResultProcess({ result, setResult }) {
      if (!result || typeof result !== 'object' || Array.isArray(result) || !('errors' in result) || !result.errors) return;
      const requestError = !('data' in result);
      setResult({ ...result, errors: result.errors.map((e) => withCode(e as GraphQLError, requestError)) });
    },
  };
}
