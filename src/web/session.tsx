import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Me } from '../shared/contracts/users';
import { api, ApiError, setUnauthorizedHandler } from './api';

export type Permission = 'users.manage' | 'audit.read' | 'standards.edit' | 'enterprises.create' | 'tokens.manage';

interface SessionState {
  /** undefined while the first /api/me is in flight, null when signed out. */
  me: Me | null | undefined;
  /** set when /api/me failed for a reason other than "not signed in" */
  loadError: ApiError | null;
  /** the user signed out on purpose, so the login page need not offer to go back */
  signedOut: boolean;
  setMe: (me: Me | null) => void;
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
  can: (permission: Permission) => boolean;
}

const SessionContext = createContext<SessionState | null>(null);

export function loginPath(location: { pathname: string; search: string }): string {
  const next = location.pathname + location.search;
  return next === '/' || next.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [signedOut, setSignedOut] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setMe(await api.get<Me>('/api/me'));
      setLoadError(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setMe(null);
        setLoadError(null);
      } else {
        setLoadError(err instanceof ApiError ? err : new ApiError(0, null, String(err)));
      }
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // A session that expires mid-use: the signed-in routes then send the user to the login page,
  // remembering where they were (see RequireSession). A sign-out in progress stays one.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setMe(null);
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  // The signed-in routes see the session gone and show the login page. Signed out from the start:
  // a request the server answers after the session is gone can come back 401 before the logout's
  // own answer, and must not read as an expired session.
  const logout = useCallback(async () => {
    setSignedOut(true);
    try {
      await api.post('/api/auth/logout');
    } finally {
      setMe(null);
    }
  }, []);

  const signIn = useCallback((user: Me | null) => {
    setSignedOut(false);
    setMe(user);
  }, []);

  const can = useCallback((permission: Permission) => Boolean(me?.permissions.includes(permission)), [me]);

  const value = useMemo(
    () => ({ me, loadError, signedOut, setMe: signIn, refresh, logout, can }),
    [me, loadError, signedOut, signIn, refresh, logout, can],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** For pages inside the signed-in shell, where me is known to be set. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}
