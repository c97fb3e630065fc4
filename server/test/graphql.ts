import { expect } from 'vitest';

export type GraphQLResponse<T = any> = {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
  raw: string;
};

/** Posts one GraphQL operation to a running server, as any client would. */
export async function gql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  opts: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...opts.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const raw = await res.text();
  const body = JSON.parse(raw) as { data?: T; errors?: GraphQLResponse['errors'] };
  return { status: res.status, data: body.data ?? undefined, errors: body.errors, raw };
}

/** Asserts the operation succeeded and returns its data. */
export function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
}

/** Asserts the operation failed with `code` (and, if given, naming `field`). */
export function expectError(response: GraphQLResponse, code: string, field?: string) {
  expect(response.errors?.length, response.raw).toBeGreaterThan(0);
  const error = response.errors![0]!;
  expect(error.extensions?.code, response.raw).toBe(code);
  if (field) expect(error.extensions?.field, response.raw).toBe(field);
  expect(response.raw).not.toMatch(/\bat .*\.(ts|js):\d+|node_modules|\/work\/|select |insert into/i);
}
