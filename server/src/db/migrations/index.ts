import { Migration20261130000000_initial } from './Migration20261130000000_initial.js';
import { Migration20261130010000_agent_removal } from './Migration20261130010000_agent_removal.js';
import { Migration20261130020000_widget_settings } from './Migration20261130020000_widget_settings.js';
import { Migration20261130030000_privacy } from './Migration20261130030000_privacy.js';

/** Every migration, in order. Listed explicitly so the built server needs no file discovery. */
export const migrationsList = [
  { name: 'Migration20261130000000_initial', class: Migration20261130000000_initial },
  { name: 'Migration20261130010000_agent_removal', class: Migration20261130010000_agent_removal },
  { name: 'Migration20261130020000_widget_settings', class: Migration20261130020000_widget_settings },
  { name: 'Migration20261130030000_privacy', class: Migration20261130030000_privacy },
];
