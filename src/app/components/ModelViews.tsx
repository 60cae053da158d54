import { useStudio } from '../store';
import { Tabs, tabId, tabPanelId } from './Tabs';
import { Overview } from '../features/overview/Overview';
import { GraphPanel } from '../features/graph/GraphPanel';
import { Inspector } from '../features/inspector/Inspector';
import { ComparePanel } from '../features/compare/ComparePanel';
import { OptimizePanel } from '../features/optimize/OptimizePanel';
import { LabPanel } from '../features/lab/LabPanel';

/** The open model's views. Only the active panel is mounted, so a hidden graph costs nothing. */
export function ModelViews() {
  const tab = useStudio((s) => s.tab);
  const hasSelection = useStudio((s) => s.selection !== null);
  return (
    <>
      <Tabs />
      <div role="tabpanel" id={tabPanelId(tab)} aria-labelledby={tabId(tab)} className={`tabpanel tabpanel-${tab}`}>
        {tab === 'overview' && <Overview />}
        {tab === 'graph' && (
          <div className={hasSelection ? 'graph-layout with-inspector' : 'graph-layout'}>
            <GraphPanel />
            {hasSelection && <Inspector />}
          </div>
        )}
        {tab === 'compare' && <ComparePanel />}
        {tab === 'optimize' && <OptimizePanel />}
        {tab === 'benchmark' && <LabPanel />}
      </div>
    </>
  );
}
