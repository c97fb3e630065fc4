import { Migration } from '@mikro-orm/migrations';

/**
 * The initial schema. Every tenant table carries account_id and its indexes start with
 * it; the only exceptions are lookups by secret hash or by sign-in email, which must find
 * a row before the account is known. Foreign keys are checked at commit, because the
 * unit of work inserts rows of different tables in no particular order.
 */
export class Migration20261130000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table accounts (
  id uuid primary key,
  name text not null,
  widget_key text not null unique,
  billing_company_name text,
  billing_vat_id text,
  billing_email text,
  plan text not null default 'FREE' check (plan in ('FREE', 'PAID')),
  created_at timestamptz not null default now()
);

create table agents (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade deferrable initially deferred,
  name text not null,
  email text not null,
  password_hash text,
  role text not null check (role in ('OWNER', 'ADMIN', 'AGENT')),
  job_title text,
  motto text,
  status text not null default 'OFFLINE' check (status in ('ONLINE', 'AWAY', 'OFFLINE')),
  invite_token_hash text unique,
  invite_expires_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index agents_email_unique on agents (email);
create index agents_account_created on agents (account_id, created_at, id);

create table agent_sessions (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade deferrable initially deferred,
  agent_id uuid not null references agents (id) on delete cascade deferrable initially deferred,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index agent_sessions_account_agent on agent_sessions (account_id, agent_id);

create table api_tokens (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade deferrable initially deferred,
  name text not null,
  token_hash text not null unique,
  created_by_agent_id uuid references agents (id) on delete set null deferrable initially deferred,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_account_created on api_tokens (account_id, created_at, id);

create table visitors (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade deferrable initially deferred,
  token_hash text not null unique,
  name text,
  email text,
  ip_address text,
  user_agent text,
  browser_name text,
  browser_version text,
  os_name text,
  os_version text,
  country text,
  city text,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now()
);
create index visitors_account_last_seen on visitors (account_id, last_seen_at desc, id desc);

create table page_views (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade deferrable initially deferred,
  visitor_id uuid not null references visitors (id) on delete cascade deferrable initially deferred,
  url text not null,
  title text,
  referrer text,
  viewed_at timestamptz not null default now()
);
create index page_views_account_visitor on page_views (account_id, visitor_id, viewed_at desc, id desc);

create table conversations (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade deferrable initially deferred,
  visitor_id uuid not null references visitors (id) on delete cascade deferrable initially deferred,
  assignee_id uuid references agents (id) on delete set null deferrable initially deferred,
  status text not null default 'OPEN' check (status in ('OPEN', 'PENDING', 'CLOSED')),
  last_seq integer not null default 0,
  visitor_read_seq integer not null default 0,
  agent_read_seq integer not null default 0,
  created_at timestamptz not null default now(),
  last_message_at timestamptz,
  last_activity_at timestamptz not null default now()
);
create index conversations_account_activity on conversations (account_id, last_activity_at desc, id desc);
create index conversations_account_status_activity on conversations (account_id, status, last_activity_at desc, id desc);
create index conversations_account_visitor on conversations (account_id, visitor_id, created_at desc, id desc);
create index conversations_account_assignee on conversations (account_id, assignee_id);
-- at most one conversation a visitor can write into without naming it
create unique index conversations_one_open_per_visitor on conversations (account_id, visitor_id) where status <> 'CLOSED';

create table messages (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade deferrable initially deferred,
  conversation_id uuid not null references conversations (id) on delete cascade deferrable initially deferred,
  seq integer not null,
  author_kind text not null check (author_kind in ('AGENT', 'VISITOR', 'SYSTEM')),
  agent_id uuid references agents (id) on delete set null deferrable initially deferred,
  api_token_id uuid references api_tokens (id) on delete set null deferrable initially deferred,
  body text not null,
  client_message_id text,
  created_at timestamptz not null default now()
);
create unique index messages_conversation_seq on messages (account_id, conversation_id, seq);
create unique index messages_conversation_client_id on messages (account_id, conversation_id, client_message_id)
  where client_message_id is not null;
create index messages_account_agent on messages (account_id, agent_id) where agent_id is not null;
`);
  }
}
