import { execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Viewer } from '../modules/auth/viewer.js';

/**
 * Rendering a live event once per audience instead of once per subscriber.
 *
 * One message to a conversation followed from a thousand sockets used to run the subscription's
 * selection a thousand times (an entity manager, loaders and entities per subscriber, then the
 * field resolvers and their authorization checks) and to serialize the result a thousand times,
 * which cost far more than writing the frames. Subscribers that follow the same operation (same
 * document, operation name and variables) and see the data the same way now share one execution
 * per event, and its serialized result.
 *
 * "See the data the same way" is the audience below. It rests on how the schema authorizes: the
 * coarse scopes (builder.ts) and the per-record policies (`*.policy.ts`) depend on the viewer's
 * kind, account and role, and for a visitor on which visitor it is, never on which agent, session
 * or API token is asking. A field whose answer depended on that (an "is this me" flag, say)
 * would have to add it to the audience; `audienceOf` is the one place to do it.
 */
export function audienceOf(viewer: Viewer): string {
  switch (viewer.kind) {
    case 'AGENT':
      return `AGENT:${viewer.accountId}:${viewer.role}`;
    case 'API_TOKEN':
      return `API_TOKEN:${viewer.accountId}`;
    case 'VISITOR':
      return `VISITOR:${viewer.accountId}:${viewer.visitorId}`;
    case 'ANONYMOUS':
      return 'ANONYMOUS';
  }
}

/** An event stream that can hand its events to a transport as they come (EventStream). */
export interface LiveSource {
  /** events go to `sink`, which may make the stream wait; resolves when the stream ends, rejects with what ended it */
  attach(sink: (event: object) => void | Promise<void>): Promise<void>;
  /** ends it */
  return(): Promise<unknown>;
}

/**
 * The event stream a subscription field opened, by the operation's context: the websocket
 * transport takes it and delivers its events itself (LiveDelivery), in place of the executor's
 * one-execution-per-event-per-subscriber mapping.
 */
const liveSources = new WeakMap<object, LiveSource>();

/** Called by a subscription field that opened an event stream, so the transport may take it. */
export function offerLiveSource(context: object, source: LiveSource): void {
  liveSources.set(context, source);
}

/** The event stream the operation with this context opened, if any. */
export function takeLiveSource(context: object): LiveSource | undefined {
  const source = liveSources.get(context);
  liveSources.delete(context);
  return source;
}

/** An event as a subscription's `next` payload: the result, serialized (errors masked). */
type Rendering = { payload: string };
type Rendered = Rendering | Promise<Rendering>;

/** Renderings of an event, by operation and audience; they go when the event does. */
const renderings = new WeakMap<object, Map<string, Rendered>>();
const documentIds = new WeakMap<DocumentNode, number>();
let lastDocumentId = 0;

/**
 * Renders events for a subscription: the first subscriber of an audience to need an event
 * executes the operation on it (with a context derived from its own; the event is the root
 * value, as the executor does for every event of a subscription) and serializes the result with
 * `toPayload`; the others get the same text. Documents are told apart by identity: the parser
 * cache hands every socket sending the same query the same document, and one it did not cache
 * only renders on its own.
 */
export function sharedRenderer(args: ExecutionArgs, audience: string, toPayload: (result: ExecutionResult) => string): (event: object) => Rendered {
  let key: string | undefined;
  return (event) => {
    key ??= renderingKey(args, audience);
    let byKey = renderings.get(event);
    if (!byKey) renderings.set(event, (byKey = new Map()));
    let rendered = byKey.get(key);
    if (!rendered) {
      // a context of its own, so what the rendering loads goes with it (see releaseResources)
      const result = execute({ ...args, rootValue: event, contextValue: Object.create(args.contextValue as object) });
      if (result instanceof Promise) {
        const settled = key;
        rendered = result.then((value) => {
          const rendering = { payload: toPayload(value) };
          byKey.set(settled, rendering);
          return rendering;
        });
      } else {
        rendered = { payload: toPayload(result) };
      }
      byKey.set(key, rendered);
    }
    return rendered;
  };
}

function renderingKey(args: ExecutionArgs, audience: string): string {
  let documentId = documentIds.get(args.document);
  if (documentId === undefined) documentIds.set(args.document, (documentId = ++lastDocumentId));
  return `${documentId}\u0000${args.operationName ?? ''}\u0000${audience}\u0000${JSON.stringify(args.variableValues ?? null)}`;
}

/**
 * A live subscription as graphql-ws sees it: an async iterator that yields nothing and ends
 * when the stream does. Its events go straight from the stream to `write` as rendered payloads,
 * with no promise, iteration or serialization per socket on the way: graphql-ws would iterate
 * results, run its hooks and serialize each one for each socket, which costs more than writing
 * the frame. What graphql-ws does at the end (complete, or error) it still does.
 */
export class LiveDelivery implements AsyncGenerator<ExecutionResult> {
  private finished: Promise<IteratorResult<ExecutionResult>> | null = null;

  constructor(
    private readonly source: LiveSource,
    private readonly render: (event: object) => Rendered,
    private readonly write: (payload: string) => void,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    return (this.finished ??= this.source.attach((event) => this.deliver(event)).then(() => ({ done: true, value: undefined })));
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    await this.source.return();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.source.return();
    throw error;
  }

  private deliver(event: object): void | Promise<void> {
    const rendered = this.render(event);
    if (rendered instanceof Promise) return rendered.then((rendering) => this.write(rendering.payload));
    this.write(rendered.payload);
  }
}
