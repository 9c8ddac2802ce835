/**
 * The log screen's list logic, kept out of the component so it can be tested on its own: what a
 * set of filters asks main for, how fresh entries join the list, and how many entries the screen
 * keeps (paged from main, never the whole log: it may hold millions of entries).
 */
import type { LogEntry, LogQuery, Outcome } from '@shared/contract';

/** Entries per request; main caps a page at 500. */
export const PAGE_SIZE = 100;
/** The most entries the screen keeps; past that it stops paging and says to narrow the filters or export. */
export const MAX_KEPT = 5_000;
/** Ask for the next page when the last rendered row is this close to the end of what is loaded. */
export const PREFETCH_ROWS = 30;

export interface LogFilters {
  outcomes: Outcome[];
  jobId: string;
  deliveryMedium: '' | 'EMAIL' | 'SMS';
  errorName: string;
  /** yyyy-mm-dd from a date input, or empty. */
  from: string;
  to: string;
  text: string;
}

export const NO_FILTERS: LogFilters = {
  outcomes: [],
  jobId: '',
  deliveryMedium: '',
  errorName: '',
  from: '',
  to: '',
  text: '',
};

/** The query for these filters, with only the filters that are set. */
export function filterQuery(filters: LogFilters): Omit<LogQuery, 'before' | 'limit'> {
  const text = filters.text.trim();
  return {
    ...(filters.outcomes.length > 0 && { outcomes: [...filters.outcomes] }),
    ...(filters.jobId !== '' && { jobId: filters.jobId }),
    ...(filters.deliveryMedium !== '' && { deliveryMedium: filters.deliveryMedium }),
    ...(filters.errorName !== '' && { errorName: filters.errorName }),
    ...(filters.from !== '' && { from: filters.from }),
    ...(filters.to !== '' && { to: filters.to }),
    ...(text !== '' && { text }),
  };
}

export function pageQuery(filters: LogFilters, before: number | null): LogQuery {
  return { ...filterQuery(filters), limit: PAGE_SIZE, ...(before !== null && { before }) };
}

export function hasFilters(filters: LogFilters): boolean {
  return Object.keys(filterQuery(filters)).length > 0;
}

/**
 * The list after a fresh first page arrived: new entries (not yet shown) go on top. When the
 * fresh page holds no entry already shown, the gap between them is unknown, so the list restarts
 * from the fresh page (`replaced`).
 */
export function mergeNewest(
  current: readonly LogEntry[],
  fresh: readonly LogEntry[],
): { entries: LogEntry[]; added: number; replaced: boolean } {
  if (current.length === 0) return { entries: [...fresh], added: fresh.length, replaced: true };
  const shown = new Set(current.map((e) => e.id));
  const overlap = fresh.findIndex((e) => shown.has(e.id));
  if (overlap === -1) return { entries: [...fresh], added: fresh.length, replaced: true };
  const added = fresh.slice(0, overlap);
  if (added.length === 0) return { entries: [...current], added: 0, replaced: false };
  return { entries: [...added, ...current].slice(0, MAX_KEPT), added: added.length, replaced: false };
}

/** Appends a next page, dropping any entry already there (a page can overlap after new arrivals). */
export function appendPage(current: readonly LogEntry[], page: readonly LogEntry[]): LogEntry[] {
  const shown = new Set(current.map((e) => e.id));
  return [...current, ...page.filter((e) => !shown.has(e.id))].slice(0, MAX_KEPT);
}

/**
 * Runs `work` at most once per animation frame however often `request` is called (import rows
 * arrive up to 50 a second). `schedule` is requestAnimationFrame in the app.
 */
export function oncePerFrame(
  work: () => void,
  schedule: (callback: () => void) => unknown,
): { request: () => void; cancel: () => void } {
  let pending = false;
  let cancelled = false;
  return {
    request: () => {
      if (pending || cancelled) return;
      pending = true;
      schedule(() => {
        pending = false;
        if (!cancelled) work();
      });
    },
    cancel: () => {
      cancelled = true;
    },
  };
}
