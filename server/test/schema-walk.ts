import {
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isUnionType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Queries generated from the schema itself, so the authorization suite covers every type
 * and field the day it is added, without anyone remembering to extend it.
 */

type Field = GraphQLField<unknown, unknown>;

/** Every object type implementing Node: each needs a fixture in the authorization suite. */
export function nodeTypeNames(schema: GraphQLSchema): string[] {
  const node = schema.getType('Node');
  if (!isInterfaceType(node)) throw new Error('the schema has no Node interface');
  return schema.getPossibleTypes(node).map((t) => t.name).sort();
}

/** The Mutation type's fields, by name. */
export function mutationNames(schema: GraphQLSchema): string[] {
  return Object.keys(schema.getMutationType()?.getFields() ?? {}).sort();
}

export function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
  return type;
}

/** A Relay connection's node type, or null for any other type. */
function connectionNode(type: GraphQLNamedType): GraphQLObjectType | null {
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return null;
  const edges = type.getFields().edges;
  const edge = edges && getNamedType(edges.type);
  const node = isObjectType(edge) ? edge.getFields().node : undefined;
  const nodeType = node && getNamedType(node.type);
  return isObjectType(nodeType) ? nodeType : null;
}

const isNode = (type: GraphQLNamedType) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');

/** Every list is read five rows at a time: more than any fixture list holds. */
const pageSize = 5;

/** A literal for `first` and for each argument the field requires. */
function argument(arg: GraphQLArgument): string | null {
  if (arg.name === 'first') return `first: ${pageSize}`;
  if (!isNonNullType(arg.type) || arg.defaultValue !== undefined) return null;
  const type = getNamedType(arg.type);
  const literal: Record<string, string> = { Int: '1', Float: '1', Boolean: 'false', String: '""' };
  if (type.name in literal) return `${arg.name}: ${literal[type.name]}`;
  if ('getValues' in type) return `${arg.name}: ${type.getValues()[0]!.name}`;
  throw new Error(`no sample value for required argument ${arg.name}: ${type.name}; add one to schema-walk.ts`);
}

function args(field: Field): string {
  const list = field.args.map(argument).filter((a): a is string => a !== null);
  return list.length ? `(${list.join(', ')})` : '';
}

const pageInfo = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

/** A field selected without going deeper than a reference: ids of nodes, leaves of plain objects. */
function shallow(field: Field, depth: number, maxDepth: number): string | null {
  const type = getNamedType(field.type);
  if (isLeafType(type)) return field.name;
  if (isUnionType(type) || isInterfaceType(type)) return `${field.name}${args(field)} { __typename ... on Node { id } }`;
  if (!isObjectType(type)) return null;
  const node = connectionNode(type);
  if (node) {
    if (depth + 3 > maxDepth) return null;
    // a node that is not a Node (an audit entry) is shown by its leaves
    const inner = isNode(node)
      ? 'id'
      : Object.values(node.getFields())
          .filter((f) => isLeafType(getNamedType(f.type)))
          .map((f) => f.name)
          .join(' ');
    return `${field.name}${args(field)} { edges { cursor node { __typename ${inner} } } ${pageInfo} }`;
  }
  if (depth + 1 > maxDepth) return null;
  if (isNode(type)) return `${field.name}${args(field)} { __typename id }`;
  const inner = Object.values(type.getFields())
    .map((f) => shallow(f, depth + 1, maxDepth))
    .filter(Boolean);
  return `${field.name}${args(field)} { __typename ${inner.join(' ')} }`;
}

/**
 * Every field of a type, for `node(id:) { ... on Type { <here> } }`: leaves as they are,
 * objects as references, connections as their first five edges. `omit` leaves fields out.
 */
export function fullSelection(schema: GraphQLSchema, typeName: string, omit: readonly string[] = []): string {
  return Object.values(objectType(schema, typeName).getFields())
    .filter((f) => !omit.includes(f.name))
    .map((f) => shallow(f, 2, 12))
    .filter(Boolean)
    .join(' ');
}

/** One field of a type, selected as `fullSelection` would. */
export function fieldSelection(schema: GraphQLSchema, typeName: string, fieldName: string): string {
  const field = objectType(schema, typeName).getFields()[fieldName];
  if (!field) throw new Error(`${typeName}.${fieldName} does not exist`);
  return shallow(field, 2, 12) ?? '';
}

type Step = { type: GraphQLObjectType; field: Field };

/** One chain of object fields from `from`, each type.field at most once, within `maxDepth`. */
function chains(from: GraphQLObjectType, depth: number, maxDepth: number, path: Step[] = []): Step[][] {
  const found: Step[][] = [];
  for (const field of Object.values(from.getFields())) {
    const type = getNamedType(field.type);
    if (!isObjectType(type) || path.some((s) => s.type === from && s.field === field)) continue;
    const next = connectionNode(type) ?? type;
    const nextDepth = depth + (connectionNode(type) ? 3 : 1);
    const hasLeaves = Object.values(next.getFields()).some((f) => isLeafType(getNamedType(f.type)));
    if (nextDepth > maxDepth || !hasLeaves) continue;
    const step = [...path, { type: from, field }];
    const longer = chains(next, nextDepth, maxDepth, step);
    found.push(...(longer.length ? longer : [step]));
  }
  return found;
}

function level(type: GraphQLObjectType, chain: Step[], depth: number, maxDepth: number): string {
  const [step, ...rest] = chain;
  const parts = Object.values(type.getFields()).map((field) => {
    if (step?.type !== type || step.field !== field) return shallow(field, depth, maxDepth);
    const named = getNamedType(field.type) as GraphQLObjectType;
    const node = connectionNode(named);
    if (!node) return `${field.name}${args(field)} { __typename ${level(named, rest, depth + 1, maxDepth)} }`;
    return `${field.name}${args(field)} { edges { cursor node { __typename ${level(node, rest, depth + 3, maxDepth)} } } ${pageInfo} }`;
  });
  return parts.filter(Boolean).join(' ');
}

/**
 * Queries reaching every field reachable from `Query.viewer` within the depth limit: one
 * query per maximal chain of object fields, each level selecting all its leaves, every list
 * its first five rows (the fixtures keep each list shorter than that).
 */
export function viewerWalk(schema: GraphQLSchema, maxDepth = 12): string[] {
  const viewer = objectType(schema, 'Viewer');
  return chains(viewer, 2, maxDepth).map((chain) => `query Walk { viewer { ${level(viewer, chain, 2, maxDepth)} } }`);
}

/** Every `Type.field` reachable from `from` by following fields, through unions and interfaces too. */
export function reachableFields(schema: GraphQLSchema, from: string): string[] {
  const seen = new Set<string>();
  const fields: string[] = [];
  const queue = [from];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    const type = schema.getType(name);
    if (seen.has(name) || !type) continue;
    seen.add(name);
    if (isAbstractType(type)) queue.push(...schema.getPossibleTypes(type).map((t) => t.name));
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      fields.push(`${name}.${field.name}`);
      queue.push(getNamedType(field.type).name);
    }
  }
  return fields;
}

/** Every `Type.field` the operations select, as the schema resolves them. */
export function selectedFields(schema: GraphQLSchema, operations: string[]): Set<string> {
  const selected = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      if (parent) selected.add(`${parent.name}.${node.name.value}`);
    },
  });
  for (const operation of operations) visit(parse(operation), visitor);
  return selected;
}
