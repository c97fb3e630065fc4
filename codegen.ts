import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Generates the clients' typed operations from the committed SDL (schema/schema.graphql),
 * never from a running server. Run with `npm run codegen`; the output is committed.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['clients/dashboard/src/**/*.{ts,tsx}', '!clients/dashboard/src/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'clients/dashboard/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { scalars: { DateTime: 'string' }, enumsAsTypes: true, useTypeImports: true },
    },
  },
};

export default config;
