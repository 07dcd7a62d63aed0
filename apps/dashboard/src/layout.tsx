// The signed-in frame: role-aware navigation on the left, the page on the right, and the live
// connection's state in the header.
import { NavLink, Outlet } from 'react-router-dom';
import { useMe, useAuth } from './auth';
import { routesFor, PageRoute } from './routes';
import { useSocket } from './socket';

const SECTIONS: PageRoute['section'][] = ['Me', 'Leads', 'Team', 'Setup'];

export function Layout() {
  const me = useMe();
  const { logout } = useAuth();
  const { error } = useSocket();
  const routes = routesFor(me.role);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Leadline</div>
        {SECTIONS.map((section) => {
          const items = routes.filter((r) => r.section === section);
          if (!items.length) return null;
          return (
            <div key={section} className="nav-section">
              <div className="nav-heading">{section}</div>
              {items.map((r) => (
                <NavLink key={r.path} to={r.path} end={r.path === '/'}>
                  {r.label}
                </NavLink>
              ))}
            </div>
          );
        })}
      </nav>
      <div className="main">
        <header className="topbar">
          {error ? <span className="live-status warn">{error}</span> : <span className="live-status">Live</span>}
          <span className="who">
            {me.name} · {me.role}
          </span>
          <button type="button" onClick={logout}>
            Sign out
          </button>
        </header>
        <main className="content">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
