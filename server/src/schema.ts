import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './shared/scalars.schema.js';
import './modules/accounts/accounts.schema.js';
import './modules/agents/agents.schema.js';
import './modules/auth/auth.schema.js';
import './modules/auth/viewer.schema.js';
import './modules/widget/widget.schema.js';
import './modules/visitors/visitors.schema.js';
import './modules/conversations/conversations.schema.js';
import './modules/messages/messages.schema.js';
import './modules/events/events.schema.js';
import './modules/privacy/privacy.schema.js';
import './node.schema.js';

/** The whole GraphQL schema, sorted so the emitted SDL diffs cleanly. */
export const schema = lexicographicSortSchema(builder.toSchema());
