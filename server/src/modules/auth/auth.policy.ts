import type { FilterQuery } from '@mikro-orm/core';
import { isAdmin, isStaffOf, type Viewer } from './viewer.js';
import type { ApiToken } from './token.entities.js';

/** API tokens are listed to their account's OWNERs and ADMINs only. */
export function apiTokenScope(viewer: Viewer): FilterQuery<ApiToken> | null {
  return viewer.kind === 'AGENT' && isAdmin(viewer) ? { accountId: viewer.accountId } : null;
}

export const canSeeApiToken = (viewer: Viewer, token: ApiToken) => isAdmin(viewer) && isStaffOf(viewer, token.accountId);
