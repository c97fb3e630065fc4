import type { CombinedError } from '@urql/core';

/** What to tell the agent about a failed operation, in words (never a stack or internals). */
export function errorMessage(error: CombinedError | undefined): string | null {
  if (!error) return null;
  if (error.networkError && error.graphQLErrors.length === 0) return 'Cannot reach the server. Check your connection and try again.';
  const first = error.graphQLErrors[0];
  if (!first) return 'Something went wrong.';
  // "input.email: must be an email" is shown beside the Email field: the path is noise there
  const field = first.extensions?.field;
  return typeof field === 'string' && first.message.startsWith(`${field}: `) ? first.message.slice(field.length + 2) : first.message;
}

/** The input field an error is about (`extensions.field`), to show the message beside it. */
export function errorField(error: CombinedError | undefined): string | null {
  const field = error?.graphQLErrors[0]?.extensions?.field;
  return typeof field === 'string' ? field : null;
}

export function errorCode(error: CombinedError | undefined): string | null {
  const code = error?.graphQLErrors[0]?.extensions?.code;
  return typeof code === 'string' ? code : null;
}

/** The request never reached the server (offline, server down): worth retrying as is. */
export function isNetworkFailure(error: CombinedError | undefined): boolean {
  return Boolean(error?.networkError) && (error?.graphQLErrors.length ?? 0) === 0;
}
