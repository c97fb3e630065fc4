import type { FilterQuery } from '@mikro-orm/core';
import { isStaff, isStaffOf, type Viewer } from '../auth/viewer.js';
import type { Conversation } from './conversation.entity.js';

/** Staff see their account's conversations; a visitor sees its own. */
export function conversationScope(viewer: Viewer): FilterQuery<Conversation> | null {
  if (isStaff(viewer)) return { accountId: viewer.accountId };
  if (viewer.kind === 'VISITOR') return { accountId: viewer.accountId, visitorId: viewer.visitorId };
  return null;
}

export const canSeeConversation = (viewer: Viewer, conversation: Conversation) =>
  isStaffOf(viewer, conversation.accountId) ||
  (viewer.kind === 'VISITOR' &&
    viewer.accountId === conversation.accountId &&
    viewer.visitorId === conversation.visitorId);

/** Assigning and changing status is the staff's work. */
export const canManageConversation = (viewer: Viewer, conversation: Conversation) =>
  isStaffOf(viewer, conversation.accountId);
