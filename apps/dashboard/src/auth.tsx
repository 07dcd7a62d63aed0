// Who is signed in: the access token (session storage, so closing the tab signs out) and the
// user it belongs to, re-read from /api/me on load so a stale token never shows a page.
import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, setUnauthorizedHandler, tokenStore } from './api';
import type { UserView } from '@leadline/contracts';

interface AuthState {
  user: UserView | null;
  token: string | null;
  loading: boolean;
  login(email: string, password: string): Promise<void>;
  logout(): void;
  /** Re-reads /api/me (after the user changed their own toggles, for instance). */
  refresh(): Promise<void>;
  setUser(user: UserView): void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(tokenStore.get());
  const [user, setUser] = useState<UserView | null>(null);
  const [loading, setLoading] = useState<boolean>(token !== null);

  const logout = useCallback(() => {
    tokenStore.clear();
    setToken(null);
    setUser(null);
  }, []);

  useEffect(() => setUnauthorizedHandler(logout), [logout]);

  const refresh = useCallback(async () => {
    setUser(await api.get<UserView>('/me'));
  }, []);

  useEffect(() => {
    if (!token) return;
    setLoading(true);
    refresh()
      .catch(() => logout())
      .finally(() => setLoading(false));
  }, [token, refresh, logout]);

  const login = useCallback(async (email: string, password: string) => {
    const result = await api.post<{ accessToken: string }>('/auth/login', { email, password });
    tokenStore.set(result.accessToken);
    setToken(result.accessToken);
  }, []);

  const value = useMemo<AuthState>(() => ({ user, token, loading, login, logout, refresh, setUser }), [user, token, loading, login, logout, refresh]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user; only for pages rendered inside the signed-in layout. */
export function useMe(): UserView {
  const { user } = useAuth();
  if (!user) throw new Error('useMe without a signed-in user');
  return user;
}
