import { GraphQLError, Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { complexityFromQuery } from '@pothos/plugin-complexity';
import { operationLimits } from '../shared/limits.js';

/** The operation that will run, alone, so other operations of the document are not counted. */
function selectedOperation(document: DocumentNode, operationName: string | null | undefined): DocumentNode {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const chosen = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  return { ...document, definitions: chosen ? [chosen, ...fragments] : [] };
}

/**
 * Refuses an operation whose cost passes the limit before it runs. It is counted with the
 * variables of this request (validation results are cached per document, so it cannot be a
 * validation rule): a page size passed as a variable counts like a literal.
 */
export function useCostLimit(): Plugin {
  const check = ({ args, setResultAndStopExecution }: CheckPayload) => {
    const { complexity } = complexityFromQuery(selectedOperation(args.document, args.operationName), {
      schema: args.schema,
      ctx: args.contextValue as object,
      variables: (args.variableValues ?? {}) as Record<string, unknown>,
    });
    if (complexity <= operationLimits.maxCost) return;
    setResultAndStopExecution({
      errors: [
        new GraphQLError(
          `The operation costs ${complexity}, more than the limit of ${operationLimits.maxCost}: ask for smaller pages or fewer nested lists.`,
        ),
      ],
    });
  };
  return { onExecute: check, onSubscribe: check };
}

type CheckPayload = {
  args: { document: DocumentNode; operationName?: string | null; schema: GraphQLSchema; contextValue: unknown; variableValues?: unknown };
  setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void;
};
