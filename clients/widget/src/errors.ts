/** A GraphQL error as the server sends it: `extensions.code`, and `extensions.field` for bad input. */
export type GraphQLErrorLike = { message: string; extensions?: { code?: string; field?: string } };

/** The operation reached the server and it answered with errors. */
export class RequestError extends Error {
  constructor(readonly errors: readonly GraphQLErrorLike[]) {
    super(errors[0]?.message ?? 'Request failed');
  }

  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }

  get field(): string | undefined {
    return this.errors.find((e) => e.extensions?.field)?.extensions?.field;
  }
}

/** The error's code when the server gave one; undefined for a closed socket or anything else. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof RequestError ? error.code : undefined;
}
