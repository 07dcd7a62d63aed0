import { Navigate, Route, Routes } from 'react-router-dom';
import { useAuth } from './auth';
import { Layout } from './layout';
import { Login } from './pages/Login';
import { routesFor } from './routes';
import { SocketProvider } from './socket';
import { Loading } from './ui/async';
import { AgentLiveProvider } from './pages/agent/agent-live';
import { TabLightsProvider } from './lights/tab-lights';

export function App() {
  const { user, token, loading } = useAuth();
  if (loading) return <Loading what="Signing in" />;
  if (!user || !token) return <Login />;
  return (
    <SocketProvider token={token}>
      <AgentLiveProvider>
        <TabLightsProvider>
          <Routes>
            {routesFor(user.role)
              .filter((r) => r.bare)
              .map((r) => (
                <Route key={r.path} path={r.path} element={r.element} />
              ))}
            <Route element={<Layout />}>
              {routesFor(user.role)
                .filter((r) => !r.bare)
                .map((r) => (
                  <Route key={r.path} path={r.path} element={r.element} />
                ))}
              <Route path="*" element={<Navigate to="/" replace />} />
            </Route>
          </Routes>
        </TabLightsProvider>
      </AgentLiveProvider>
    </SocketProvider>
  );
}
