import type { AgentRole } from '../agents/agent.entity.js';

/** Who is calling: resolved once per HTTP request and once per socket. */
export type Viewer =
  | { kind: 'ANONYMOUS' }
  | { kind: 'AGENT'; accountId: string; agentId: string; role: AgentRole; sessionId: string }
  | { kind: 'API_TOKEN'; accountId: string; apiTokenId: string }
  | { kind: 'VISITOR'; accountId: string; visitorId: string };

export type StaffViewer = Extract<Viewer, { kind: 'AGENT' | 'API_TOKEN' }>;

export const anonymous: Viewer = { kind: 'ANONYMOUS' };

/** An agent or API token of `accountId`: those see all of that account's data. */
export function isStaffOf(viewer: Viewer, accountId: string): viewer is StaffViewer {
  return (viewer.kind === 'AGENT' || viewer.kind === 'API_TOKEN') && viewer.accountId === accountId;
}

export function isStaff(viewer: Viewer): viewer is StaffViewer {
  return viewer.kind === 'AGENT' || viewer.kind === 'API_TOKEN';
}

/** OWNER or ADMIN agents manage the team and the API tokens. */
export function isAdmin(viewer: Viewer): boolean {
  return viewer.kind === 'AGENT' && (viewer.role === 'OWNER' || viewer.role === 'ADMIN');
}

export function isOwner(viewer: Viewer): boolean {
  return viewer.kind === 'AGENT' && viewer.role === 'OWNER';
}
