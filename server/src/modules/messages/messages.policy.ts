import type { FilterQuery } from '@mikro-orm/core';
import type { Context } from '../../context.js';
import { canSeeConversation } from '../conversations/conversations.policy.js';
import type { Message } from './message.entity.js';
import type { Viewer } from '../auth/viewer.js';

/** Messages are narrowed to the viewer's account here and to visible conversations by canSeeMessage. */
export function messageScope(viewer: Viewer): FilterQuery<Message> | null {
  if (viewer.kind === 'ANONYMOUS') return null;
  return { accountId: viewer.accountId };
}

/** A message is visible exactly when its conversation is. */
export async function canSeeMessage(ctx: Pick<Context, 'viewer' | 'loaders'>, message: Message): Promise<boolean> {
  const conversation = await ctx.loaders.conversation.load(message.conversationId);
  return conversation !== null && canSeeConversation(ctx.viewer, conversation);
}
