import { createQuery } from '@urql/solid';
import { createEffect, createSignal, For, Show } from 'solid-js';
import type { AuditAction, AuditActorKind, IpHandling } from '../../gql/graphql';
import { errorMessage } from '../../lib/errors';
import { FormError } from '../../ui/Field';
import { plural } from '../visitors/format';
import { formatDateTime } from './format';
import { AuditLogQuery, AuditVisitorQuery } from './settings.graphql';

export const auditPageSize = 20;

/** A number from an entry's details (a JSON object whose shape depends on the action); 0 when absent. */
function detail(details: unknown, key: string): number {
  const value = typeof details === 'object' && details !== null ? (details as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' ? value : 0;
}

/** What happened, in words. */
export function describeAction(action: AuditAction, details: unknown): string {
  switch (action) {
    case 'VISITOR_EXPORTED':
      return "Exported a visitor's data";
    case 'VISITOR_ERASED':
      return `Erased a visitor (${plural(detail(details, 'conversations'), 'conversation')}, ${plural(detail(details, 'messages'), 'message')})`;
    case 'RETENTION_APPLIED':
      return `Retention deleted ${plural(detail(details, 'conversations'), 'conversation')} and ${plural(detail(details, 'visitors'), 'visitor')}`;
    case 'PRIVACY_SETTINGS_CHANGED':
      return 'Changed privacy settings';
    default:
      return String(action);
  }
}

const ipWords: Record<IpHandling, string> = { NONE: 'none', TRUNCATED: 'truncated', FULL: 'in full' };

/** "IP addresses: truncated → none; kept: forever → 30 days", from a settings change's before and after. */
export function describeSettingsChange(details: unknown): string | null {
  const record = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
  const before = record(record(details).before);
  const after = record(record(details).after);
  const ip = (value: unknown) => ipWords[value as IpHandling] ?? String(value);
  const kept = (value: unknown) => (typeof value === 'number' ? plural(value, 'day') : 'forever');
  const changes = [
    before.ipHandling !== after.ipHandling ? `IP addresses: ${ip(before.ipHandling)} → ${ip(after.ipHandling)}` : null,
    before.retentionDays !== after.retentionDays ? `kept: ${kept(before.retentionDays)} → ${kept(after.retentionDays)}` : null,
  ].filter(Boolean);
  return changes.length ? changes.join('; ') : null;
}

const actorKinds: Record<AuditActorKind, string | null> = { AGENT: null, API_TOKEN: 'API token', SYSTEM: 'Automatic' };

/** OWNER/ADMIN: who exported, erased or changed what, newest first, a page at a time. */
export function AuditLog() {
  const [pages, setPages] = createSignal(1);
  const [more, setMore] = createSignal(false);
  return (
    <>
      <table class="audit-log">
        <caption class="visually-hidden">Audit log</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <AuditPage index={0} after={null} pages={pages()} onLast={setMore} />
      </table>
      <Show when={more()}>
        <button type="button" onClick={() => (setMore(false), setPages(pages() + 1))}>
          Show more
        </button>
      </Show>
    </>
  );
}

type PageProps = { index: number; after: string | null; pages: number; onLast: (hasMore: boolean) => void };

/**
 * One page of entries, then (when shown) the next page, which starts after this one's current
 * end: a new entry on top moves the pages along instead of leaving a gap between them.
 */
function AuditPage(props: PageProps) {
  const [log] = createQuery({ query: AuditLogQuery, variables: () => ({ first: auditPageSize, after: props.after }) });
  const connection = () => log.data?.viewer.account?.auditLog ?? null;
  const isLast = () => props.index === props.pages - 1;

  createEffect(() => {
    const current = connection();
    if (isLast() && current) props.onLast(current.pageInfo.hasNextPage);
  });

  return (
    <>
      <tbody>
        <Show when={connection()} fallback={<StateRow message={errorMessage(log.error) ?? 'Loading…'} error={Boolean(log.error)} />}>
          <For each={connection()?.edges} fallback={props.index === 0 ? <StateRow message="Nothing recorded yet." error={false} /> : null}>
            {(edge) => <EntryRow entry={edge.node} />}
          </For>
        </Show>
      </tbody>
      <Show when={!isLast() && connection()?.pageInfo.hasNextPage ? connection()?.pageInfo.endCursor : null}>
        {(cursor) => <AuditPage index={props.index + 1} after={cursor()} pages={props.pages} onLast={props.onLast} />}
      </Show>
    </>
  );
}

function StateRow(props: { message: string; error: boolean }) {
  return (
    <tr>
      <td colSpan={3}>
        <Show when={props.error} fallback={<span class="empty">{props.message}</span>}>
          <FormError message={props.message} />
        </Show>
      </td>
    </tr>
  );
}

type Entry = { action: AuditAction; actorKind: AuditActorKind; actorName: string; visitorId: string | null; details: unknown; createdAt: string };

function EntryRow(props: { entry: Entry }) {
  const change = () => (props.entry.action === 'PRIVACY_SETTINGS_CHANGED' ? describeSettingsChange(props.entry.details) : null);
  return (
    <tr>
      <td>
        <time datetime={props.entry.createdAt}>{formatDateTime(props.entry.createdAt)}</time>
      </td>
      <td>
        {props.entry.actorName}
        <Show when={actorKinds[props.entry.actorKind]}>{(kind) => <div class="hint">{kind()}</div>}</Show>
      </td>
      <td>
        {describeAction(props.entry.action, props.entry.details)}
        <Show when={props.entry.visitorId}>{(id) => <AuditVisitor id={id()} />}</Show>
        <Show when={change()}>{(text) => <div class="hint">{text()}</div>}</Show>
      </td>
    </tr>
  );
}

/** The audited visitor, linked to their latest conversation (the visitor panel shows beside it). */
function AuditVisitor(props: { id: string }) {
  const [query] = createQuery({ query: AuditVisitorQuery, variables: () => ({ id: props.id }) });
  const visitor = () => {
    const node = query.data?.node;
    return node?.__typename === 'Visitor' ? node : null;
  };
  const name = () => visitor()?.name || visitor()?.email || 'Anonymous visitor';
  const conversationId = () => visitor()?.conversations.edges[0]?.node.id ?? null;
  return (
    <div class="hint">
      <Show when={visitor()} fallback={query.data ? 'Visitor no longer exists' : null}>
        Visitor:{' '}
        <Show when={conversationId()} fallback={name()}>
          {(id) => <a href={`/inbox/${id()}`}>{name()}</a>}
        </Show>
      </Show>
    </div>
  );
}
