/**
 * The console's shell: sign-in, then the pages the key's scope allows. A page or action the key
 * cannot use is not shown at all (the API would refuse it anyway).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type Scope } from './api';
import { AudiencePage } from './pages/audience';
import { AudiencesPage } from './pages/audiences';
import { OverviewPage } from './pages/overview';
import { ProfilePage } from './pages/profile';
import { ReviewPage } from './pages/review';
import { RulesPage } from './pages/rules';
import { SignIn } from './pages/sign-in';
import { useRoute } from './route';
import { session } from './session';

interface Page {
  readonly id: string;
  readonly title: string;
  readonly needs: Scope;
}

const PAGES: readonly Page[] = [
  { id: 'overview', title: 'Overview', needs: 'report' },
  { id: 'profile', title: 'Profiles', needs: 'read' },
  { id: 'review', title: 'Review', needs: 'read' },
  { id: 'audiences', title: 'Audiences', needs: 'report' },
  { id: 'rules', title: 'Rules', needs: 'read' },
];

export function App() {
  const [grants, setGrants] = useState<Scope[] | undefined>();
  const [checking, setChecking] = useState(session.key() !== null);
  useEffect(() => {
    if (!session.key()) return;
    api.me().then(
      (me) => {
        setGrants(me.grants);
        setChecking(false);
      },
      () => {
        session.signOut();
        setChecking(false);
      },
    );
  }, []);
  if (checking) return <p role="status">Checking the API key…</p>;
  if (!grants) return <SignIn onSignedIn={setGrants} />;
  return <SignedIn grants={grants} onSignOut={() => setGrants(undefined)} />;
}

function SignedIn({ grants, onSignOut }: { grants: Scope[]; onSignOut: () => void }) {
  const route = useRoute();
  const allowed = PAGES.filter((page) => grants.includes(page.needs));
  const page = allowed.find((candidate) => candidate.id === route.page) ?? allowed[0];
  useEffect(() => {
    document.title = page ? `${page.title} · idgraph console` : 'idgraph console';
  }, [page]);
  const can = (scope: Scope) => grants.includes(scope);
  return (
    <>
      <header class="top">
        <span class="brand">idgraph</span>
        <nav aria-label="Pages">
          {allowed.map((candidate) => (
            <a
              key={candidate.id}
              href={`#/${candidate.id}`}
              aria-current={candidate.id === page?.id ? 'page' : undefined}
            >
              {candidate.title}
            </a>
          ))}
        </nav>
        <button
          type="button"
          class="link"
          onClick={() => {
            session.signOut();
            onSignOut();
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        {!page && <p>This API key grants no page of the console.</p>}
        {page?.id === 'overview' && <OverviewPage canReadProfiles={can('read')} />}
        {page?.id === 'profile' && <ProfilePage route={route} canWrite={can('write')} />}
        {page?.id === 'review' && <ReviewPage id={route.params[0]} canWrite={can('write')} />}
        {page?.id === 'audiences' &&
          (route.params[0] ? <AudiencePage id={route.params[0]} /> : <AudiencesPage canWrite={can('write')} />)}
        {page?.id === 'rules' && <RulesPage canAdmin={can('admin')} />}
      </main>
    </>
  );
}
