import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang, SortDirection, TablePage } from '@palco/sdk';
import type { Formatters } from '../format.js';
import { Notice } from '../shared.js';
import { describeFailure } from '../texts.js';
import type { ReportTexts } from './texts.js';

export interface Column<Row, Sort extends string> {
  label: string;
  /** The server's sort key for this column; none: not sortable. */
  sort?: Sort;
  numeric?: boolean;
  cell(row: Row): ComponentChildren;
}

export interface TableRequest<Sort extends string> {
  q?: string;
  sort: Sort;
  dir: SortDirection;
  offset: number;
  limit: number;
}

const pageSize = 50;
const searchDelayMs = 300;

/** The text a person types, handed on once they pause typing. */
function useDebounced(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * A table the server searches, sorts and pages: a search box (debounced), sortable column
 * headers and previous/next. `reloadKey` changes to fetch the current page again (live refresh);
 * `filterKey` changes when a filter outside the table does (the page goes back to the start).
 */
export function ReportTable<Row, Sort extends string>(props: {
  id: string;
  title: string;
  columns: ReadonlyArray<Column<Row, Sort>>;
  rowKey(row: Row): number;
  load(request: TableRequest<Sort>): Promise<TablePage<Row>>;
  initialSort: Sort;
  initialDir: SortDirection;
  searchPlaceholder: string;
  texts: ReportTexts;
  format: Formatters;
  lang: Lang;
  reloadKey: unknown;
  filterKey?: string;
  filters?: ComponentChildren;
}) {
  const { texts, format } = props;
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim(), searchDelayMs);
  const [sort, setSort] = useState<{ by: Sort; dir: SortDirection }>({ by: props.initialSort, dir: props.initialDir });
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<TablePage<Row> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useRef(props.load);
  load.current = props.load;
  const latestRequest = useRef(0);

  useEffect(() => setOffset(0), [q, sort, props.filterKey]);

  useEffect(() => {
    const request = ++latestRequest.current;
    load
      .current({ ...(q ? { q } : {}), sort: sort.by, dir: sort.dir, offset, limit: pageSize })
      .then((result) => {
        if (request !== latestRequest.current) return;
        setPage(result);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (request === latestRequest.current) setError(describeFailure(failure, props.lang));
      });
  }, [q, sort, offset, props.filterKey, props.reloadKey, props.lang]);

  const sortBy = (column: Sort, numeric: boolean) =>
    setSort((current) =>
      current.by === column ? { by: column, dir: current.dir === 'asc' ? 'desc' : 'asc' } : { by: column, dir: numeric ? 'desc' : 'asc' },
    );

  const shownTo = page ? page.offset + page.items.length : 0;
  return (
    <section class="card table-card" aria-labelledby={`${props.id}-title`} data-table={props.id}>
      <div class="table-header">
        <h3 id={`${props.id}-title`}>{props.title}</h3>
        <div class="table-tools">
          {props.filters}
          <label class="search">
            <span class="visually-hidden">{texts.search}</span>
            <input type="search" value={typed} placeholder={props.searchPlaceholder} onInput={(event) => setTyped(event.currentTarget.value)} />
          </label>
        </div>
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              {props.columns.map((column) => {
                const active = column.sort !== undefined && sort.by === column.sort;
                return (
                  <th
                    scope="col"
                    class={column.numeric ? 'numeric' : undefined}
                    aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    {column.sort === undefined ? (
                      column.label
                    ) : (
                      <button type="button" class="sort" title={texts.sortBy(column.label)} onClick={() => sortBy(column.sort!, Boolean(column.numeric))}>
                        {column.label}
                        <span aria-hidden="true">{active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                      </button>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {page?.items.map((row) => (
              <tr key={props.rowKey(row)}>
                {props.columns.map((column) => (
                  <td class={column.numeric ? 'numeric' : undefined} data-label={column.label}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page && page.total === 0 && <p class="hint">{texts.noRows}</p>}
      {page && page.total > 0 && (
        <div class="pager">
          <span class="hint" aria-live="polite">
            {texts.range(format.number(page.offset + 1), format.number(shownTo), format.number(page.total))}
          </span>
          <div class="actions">
            <button type="button" class="secondary small" disabled={page.offset === 0} onClick={() => setOffset(Math.max(0, page.offset - pageSize))}>
              {texts.previous}
            </button>
            <button type="button" class="secondary small" disabled={shownTo >= page.total} onClick={() => setOffset(page.offset + pageSize)}>
              {texts.next}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
