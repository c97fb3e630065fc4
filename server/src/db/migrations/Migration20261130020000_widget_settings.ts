import { Migration } from '@mikro-orm/migrations';

/** Each account's widget settings (appearance, pre-chat form, language, allowed origins), as one document. */
export class Migration20261130020000_widget_settings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table accounts add column widget_settings jsonb not null default '{}'::jsonb;`);
  }
}
