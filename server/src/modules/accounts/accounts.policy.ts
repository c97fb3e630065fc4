import type { FilterQuery } from '@mikro-orm/core';
import { isAdmin, isOwner, isStaff, isStaffOf, type Viewer } from '../auth/viewer.js';
import type { Account } from './account.entity.js';

/** The accounts a viewer's queries may touch: its own, for staff; none for anyone else. */
export function accountScope(viewer: Viewer): FilterQuery<Account> | null {
  return isStaff(viewer) ? { id: viewer.accountId } : null;
}

export const canSeeAccount = (viewer: Viewer, account: Account) => isStaffOf(viewer, account.id);
export const canSeeBilling = (viewer: Viewer, account: Account) => isAdmin(viewer) && isStaffOf(viewer, account.id);
export const canEditBilling = (viewer: Viewer, accountId: string) => isOwner(viewer) && isStaffOf(viewer, accountId);
