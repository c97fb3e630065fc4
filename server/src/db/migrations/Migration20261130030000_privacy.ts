import { Migration } from '@mikro-orm/migrations';

/**
 * Privacy controls: how much of a visitor's IP address is kept, how long closed
 * conversations and inactive visitors are kept, and a log of who exported or erased what.
 */
export class Migration20261130030000_privacy extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table accounts
  add column ip_handling text not null default 'TRUNCATED' check (ip_handling in ('NONE', 'TRUNCATED', 'FULL')),
  add column retention_days integer check (retention_days between 1 and 3650);

create table audit_log (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade deferrable initially deferred,
  action text not null,
  actor_kind text not null check (actor_kind in ('AGENT', 'API_TOKEN', 'SYSTEM')),
  actor_id uuid,
  actor_name text not null,
  subject_id uuid,
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index audit_log_account_created on audit_log (account_id, created_at desc, id desc);
create index audit_log_account_subject on audit_log (account_id, subject_id);
`);
  }
}
