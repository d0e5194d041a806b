/** 登录 Sign in: paste a token; it is kept in sessionStorage (this tab only), never in the URL. */
import { useState } from 'preact/hooks';
import { ErrorBox, Link, PageTitle } from '../components/ui';
import { ApiError, signIn } from '../lib/api';
import { navigate } from '../lib/router';
import { useStore } from '../lib/store';

export function SignInPage() {
  const { me, notice } = useStore();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(token.trim());
      setToken('');
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? new Error('令牌无效或已吊销 (unknown or revoked token)')
          : err,
      );
    } finally {
      setBusy(false);
    }
  };

  if (me) {
    return (
      <section class="narrow">
        <PageTitle zh="已登录" en="Signed in" />
        <dl class="facts" data-testid="principal">
          <dt>持有人 Holder</dt>
          <dd>{me.subject ?? '—'}</dd>
          <dt>令牌编号 Token id</dt>
          <dd>
            <code>{me.tokenId}</code>
          </dd>
          <dt>角色 Roles</dt>
          <dd data-testid="roles">{me.roleNames.join('、') || '无 (none)'}</dd>
          <dt>部门 Agency</dt>
          <dd data-testid="agency">
            {me.agencies.length > 0 ? me.agencies.join('、') : '执委会各办公室 (committee offices)'}
          </dd>
        </dl>
        <p>
          <button type="button" onClick={() => navigate('/search')}>
            开始查询 (go to the business search)
          </button>
        </p>
      </section>
    );
  }

  return (
    <section class="narrow">
      <PageTitle zh="登录" en="Sign in" />
      {notice && (
        <p class="notice" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)}>
        <label for="token">
          访问令牌 <span class="en">Access token</span>
        </label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          placeholder="hub_…"
          required
        />
        <p class="hint">
          令牌由管理员用 <code>npm run hub -- token issue</code> 签发；本地演示令牌在{' '}
          <code>var/demo-token.txt</code>。 只保存在本标签页 (kept in this tab only, never in the address).
        </p>
        <button type="submit" disabled={busy || token.trim() === ''}>
          登录 Sign in
        </button>
      </form>
      <ErrorBox error={error} />
      <p class="muted">
        无需登录即可查看 <Link href="/matters">执法事项目录 (matter catalogue)</Link>。
      </p>
    </section>
  );
}
