import { useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { useStudio } from '../store';
import type { ViewTab } from '../store';
import { showTab } from '../graph-actions';

const TABS: { id: ViewTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'graph', label: 'Graph' },
  { id: 'compare', label: 'Compare' },
  { id: 'optimize', label: 'Optimize' },
  { id: 'benchmark', label: 'Benchmark' },
];

export const tabPanelId = (tab: ViewTab): string => `panel-${tab}`;
export const tabId = (tab: ViewTab): string => `tab-${tab}`;

/** The views of an open model, as an ARIA tablist (arrow keys move between tabs). */
export function Tabs() {
  const current = useStudio((s) => s.tab);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent, i: number): void => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = (i + step + TABS.length) % TABS.length;
    const tab = TABS[next];
    if (tab) {
      showTab(tab.id);
      refs.current[next]?.focus();
    }
  };
  return (
    <div role="tablist" aria-label="Model views" className="tabs">
      {TABS.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={tabId(t.id)}
          aria-selected={current === t.id}
          aria-controls={tabPanelId(t.id)}
          tabIndex={current === t.id ? 0 : -1}
          className={current === t.id ? 'tab active' : 'tab'}
          onClick={() => showTab(t.id)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
