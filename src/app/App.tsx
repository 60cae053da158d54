import { useEffect } from 'react';
import { useStudio } from './store';
import { loadSamples } from './actions';
import { OpenModelButton } from './features/open/OpenModelButton';
import { DropZone } from './features/open/DropZone';
import { LoadProgress } from './features/open/LoadProgress';
import { SamplePicker } from './features/open/SamplePicker';
import { ErrorBanner, NoticeBanner } from './components/ErrorBanner';
import { ModelViews } from './components/ModelViews';
import { Welcome } from './features/open/Welcome';

export function App() {
  const hasModel = useStudio((s) => s.model !== null);
  // The graph view uses the full window width; the other views read better in a column.
  const tabClass = useStudio((s) => (s.model !== null && s.tab !== 'overview' ? 'wide' : ''));
  useEffect(() => {
    void loadSamples();
  }, []);
  return (
    <div className="app">
      <header className="topbar">
        <h1>Model Optimization Studio</h1>
        <div className="topbar-actions">
          <SamplePicker compact />
          <OpenModelButton />
        </div>
      </header>
      <DropZone />
      <div className="banners">
        <ErrorBanner />
        <NoticeBanner />
        <LoadProgress />
      </div>
      <main className={tabClass}>{hasModel ? <ModelViews /> : <Welcome />}</main>
    </div>
  );
}
