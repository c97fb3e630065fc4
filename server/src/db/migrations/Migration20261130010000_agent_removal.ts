import { Migration } from '@mikro-orm/migrations';

/** Removed agents stay for the history they wrote; their email may be invited again. */
export class Migration20261130010000_agent_removal extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table agents add column removed_at timestamptz;
drop index agents_email_unique;
create unique index agents_email_unique on agents (email) where removed_at is null;
`);
  }
}
