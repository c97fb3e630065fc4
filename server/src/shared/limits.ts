/** Every limit on what one request may ask of the server, in one place. */

/** The largest page a client may ask for, and the page it gets when it asks for none. */
export const maxPageSize = 100;
export const defaultPageSize = 20;

/**
 * Limits on one GraphQL operation. Cost is counted by the schema with the variables
 * resolved: each field costs 1, and a paged field multiplies what is under it by its page
 * size (`first`/`last`, or the default page). A dashboard page of 100 conversations with
 * visitor and last message costs about 3,200; lists nested in lists (100 x 100) are refused.
 */
export const operationLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 20,
  maxCost: 10_000,
};
