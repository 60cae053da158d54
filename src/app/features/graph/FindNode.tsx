/**
 * The "Find node" search box: matches node names, op types and tensor names; the results listbox
 * shows up to MAX_SHOWN_RESULTS with the total count. Arrow keys move through the results, Enter or
 * a click chooses one (the panel centres, highlights and selects it), Escape clears. A click closes
 * the list; Enter keeps it open so that the user can step through matches with the arrows.
 */
import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { FocusEvent, KeyboardEvent } from 'react';
import type { ViewGraph } from '../../../core/graph-view/types';
import { matchCountText, searchIndexFor, searchNodes } from './search';
import type { SearchHit, SearchResult } from './search';
import { NodeKind } from './graph-kinds';

const NO_RESULT: SearchResult = { total: 0, hits: [] };

function Highlight({ text, query }: { text: string; query: string }) {
  const at = query ? text.toLowerCase().indexOf(query.toLowerCase()) : -1;
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + query.length)}</mark>
      {text.slice(at + query.length)}
    </>
  );
}

function ResultText({ view, hit, query }: { view: ViewGraph; hit: SearchHit; query: string }) {
  const i = hit.index;
  const kind = view.kinds[i];
  const title = view.titles[i] ?? '';
  const name = view.names[i] ?? '';
  const q = query.trim();
  return (
    <>
      <span className="graph-result-op">{kind === NodeKind.Input ? 'input' : kind === NodeKind.Output ? 'output' : <Highlight text={title} query={hit.field === 'op' ? q : ''} />}</span>
      <span className="graph-result-name">
        {kind === NodeKind.Op ? (name ? <Highlight text={name} query={hit.field === 'name' ? q : ''} /> : <span className="muted">(unnamed)</span>) : <Highlight text={title} query={q} />}
      </span>
      {hit.field === 'tensor' && (
        <span className="graph-result-via">
          tensor <Highlight text={hit.text} query={q} />
        </span>
      )}
    </>
  );
}

export function FindNode({ view, onChoose }: { view: ViewGraph | null; onChoose(index: number): void }) {
  const id = useId();
  const listId = `${id}-results`;
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const deferred = useDeferredValue(query);
  const hasQuery = deferred.trim() !== '';
  const result = useMemo(() => (view && hasQuery ? searchNodes(searchIndexFor(view), deferred) : NO_RESULT), [view, deferred, hasQuery]);
  const shown = open && hasQuery && view !== null;
  const activeHit = result.hits[Math.min(active, result.hits.length - 1)];

  const choose = (hit: SearchHit | undefined): void => {
    if (hit) onChoose(hit.index);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        return;
      }
      const n = result.hits.length;
      if (n > 0) setActive((a) => (e.key === 'ArrowDown' ? Math.min(n - 1, a + 1) : Math.max(0, a - 1)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      setOpen(true);
      choose(activeHit);
    } else if (e.key === 'Escape') {
      if (open && hasQuery) setOpen(false);
      else setQuery('');
    }
  };

  const onBlur = (e: FocusEvent<HTMLDivElement>): void => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
  };

  return (
    <div className="graph-find" onBlur={onBlur}>
      <input
        type="search"
        aria-label="Find node"
        placeholder="Find node…"
        value={query}
        disabled={view === null}
        aria-controls={shown ? listId : undefined}
        aria-activedescendant={shown && activeHit ? `${id}-opt-${activeHit.index}` : undefined}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKeyDown}
      />
      <span className="graph-find-count" role="status">
        {hasQuery && view ? matchCountText(result) : ''}
      </span>
      {shown && (
        <div className="graph-results-popup">
          <ul id={listId} className="graph-results" role="listbox" aria-label="Search results">
            {result.hits.map((hit, j) => (
              <li
                key={hit.index}
                id={`${id}-opt-${hit.index}`}
                role="option"
                aria-selected={activeHit === hit}
                // Keep focus in the search box so Enter and the arrows keep working after a click.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => {
                  setActive(j);
                  setOpen(false);
                  choose(hit);
                }}
              >
                <ResultText view={view} hit={hit} query={deferred} />
              </li>
            ))}
          </ul>
          {result.total > result.hits.length && (
            <p className="graph-results-more">{(result.total - result.hits.length).toLocaleString('en-US')} more — refine the search</p>
          )}
        </div>
      )}
    </div>
  );
}
