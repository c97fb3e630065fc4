import type { FilterQuery } from '@mikro-orm/core';
import { isStaff, isStaffOf, type Viewer } from '../auth/viewer.js';
import type { Visitor } from './visitor.entity.js';

/** Staff see their account's visitors; a visitor sees itself; nobody else sees any. */
export function visitorScope(viewer: Viewer): FilterQuery<Visitor> | null {
  if (isStaff(viewer)) return { accountId: viewer.accountId };
  if (viewer.kind === 'VISITOR') return { accountId: viewer.accountId, id: viewer.visitorId };
  return null;
}

export const canSeeVisitor = (viewer: Viewer, visitor: Visitor) =>
  isStaffOf(viewer, visitor.accountId) || (viewer.kind === 'VISITOR' && viewer.visitorId === visitor.id);

/** IP, user agent, browser, OS and location are for the account's staff, not the visitor. */
export const canSeeTechnicalData = (viewer: Viewer, visitor: Visitor) => isStaffOf(viewer, visitor.accountId);
