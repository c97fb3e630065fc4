import { createContext, useContext, type Accessor } from 'solid-js';
import type { ShellQuery } from '../../gql/graphql';

export type ViewerInfo = NonNullable<ShellQuery['viewer']>;
export type CurrentAgent = NonNullable<ViewerInfo['agent']>;
export type CurrentAccount = NonNullable<ViewerInfo['account']>;

/** The signed-in agent and its account, for every screen inside the shell. */
export const ViewerContext = createContext<{ agent: Accessor<CurrentAgent>; account: Accessor<CurrentAccount> }>();

export function useViewer() {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside the signed-in shell');
  return viewer;
}

/** OWNER and ADMIN manage the team and the API tokens. */
export function canManage(agent: CurrentAgent): boolean {
  return agent.role === 'OWNER' || agent.role === 'ADMIN';
}
