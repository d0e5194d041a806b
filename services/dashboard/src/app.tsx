/**
 * The shell: header with the signed-in principal, a role-aware navigation (what the token may not
 * read is not offered), the "API down" banner, and the page for the current path.
 */
import { useEffect, useRef } from 'preact/hooks';
import { Link } from './components/ui';
import { signOut } from './lib/api';
import { mayRead } from './lib/roles';
import { navigate, useLocation } from './lib/router';
import { useStore } from './lib/store';
import type { Me } from './lib/types';
import { AccessLogPage } from './pages/access-log';
import { AlertsPage } from './pages/alerts';
import { BusinessPage } from './pages/business';
import { CheckPage } from './pages/check';
import { EvaluationPage } from './pages/evaluation';
import { MattersPage } from './pages/matters';
import { PenaltiesPage } from './pages/penalties';
import { SearchPage } from './pages/search';
import { SignInPage } from './pages/sign-in';
import { TransfersPage } from './pages/transfers';

interface NavItem {
  href: string;
  zh: string;
  en: string;
  /** The resource of the role matrix the page reads; undefined: public. */
  resource?: string;
}

export const NAV: readonly NavItem[] = [
  { href: '/search', zh: '企业查询', en: 'Businesses', resource: 'business.search' },
  { href: '/alerts', zh: '预警', en: 'Alerts', resource: 'alert.list' },
  { href: '/check', zh: '检查前核查', en: 'Pre-visit check', resource: 'inspection.check' },
  { href: '/penalties', zh: '处罚公示', en: 'Published penalties', resource: 'penalty.published' },
  { href: '/transfers', zh: '两法衔接', en: 'Transfers to police', resource: 'transfer.list' },
  { href: '/evaluation', zh: '网上考评', en: 'Evaluation', resource: 'agency.figures' },
  { href: '/access-log', zh: '访问日志', en: 'Access log', resource: 'access-log.read' },
  { href: '/matters', zh: '执法事项目录', en: 'Matter catalogue' },
];

function Page({ path, me }: { path: string; me: Me | undefined }) {
  if (path === '/matters') return <MattersPage />;
  if (!me || path === '/' || path === '/signin') return <SignInPage />;
  const business = /^\/business\/([0-9A-Z]{18})$/.exec(path);
  if (business?.[1]) return <BusinessPage uscc={business[1]} />;
  switch (path) {
    case '/search':
      return <SearchPage />;
    case '/alerts':
      return <AlertsPage />;
    case '/check':
      return <CheckPage />;
    case '/penalties':
      return <PenaltiesPage />;
    case '/transfers':
      return <TransfersPage />;
    case '/evaluation':
      return <EvaluationPage />;
    case '/access-log':
      return <AccessLogPage />;
    default:
      return (
        <section>
          <h1>
            页面不存在 <span class="en">Page not found</span>
          </h1>
          <p>
            <Link href="/search">返回企业查询 (back to the business search)</Link>
          </p>
        </section>
      );
  }
}

export function App() {
  const { me, apiDown } = useStore();
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);

  // After signing out (or a revoked token) every page but the catalogue goes to sign-in.
  useEffect(() => {
    if (!me && path !== '/' && path !== '/matters') navigate('/', true);
  }, [me, path]);
  // Moves focus to the new page's content for keyboard and screen-reader users.
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [path]);

  return (
    <div class="shell">
      <a class="skip" href="#main">
        跳到正文 (skip to content)
      </a>
      <header class="top">
        <Link href={me ? '/search' : '/'} class="brand">
          执法信息共享平台 <span class="en">Enforcement information hub</span>
        </Link>
        {me && (
          <div class="who" data-testid="who">
            <span>{me.subject ?? me.tokenId}</span>
            <span class="muted" title={me.roleNames.join('、')}>
              {me.roleNames.map((r) => r.replace(/\s*\(.*\)$/, '')).join('、')}
            </span>
            <button type="button" class="secondary" onClick={() => signOut('已退出 (signed out)')}>
              退出 Sign out
            </button>
          </div>
        )}
      </header>
      {apiDown !== undefined && (
        <div class="banner" role="alert" data-testid="api-down">
          <strong>查询接口不可用 (the query API is unavailable)</strong> — {apiDown}。页面将在其恢复后自动更新
          (this page retries by itself).
        </div>
      )}
      <div class="body">
        <nav class="side" aria-label="主导航 main navigation">
          <ul>
            {NAV.filter((n) => (me ? mayRead(me, n.resource) : n.resource === undefined)).map((n) => (
              <li key={n.href}>
                <Link
                  href={n.href}
                  class={
                    path === n.href || (n.href === '/search' && path.startsWith('/business/')) ? 'active' : ''
                  }
                >
                  {n.zh} <span class="en">{n.en}</span>
                </Link>
              </li>
            ))}
            {!me && (
              <li>
                <Link href="/" class={path === '/' ? 'active' : ''}>
                  登录 <span class="en">Sign in</span>
                </Link>
              </li>
            )}
          </ul>
        </nav>
        <main id="main" ref={main} tabIndex={-1}>
          <Page path={path} me={me} />
        </main>
      </div>
    </div>
  );
}
