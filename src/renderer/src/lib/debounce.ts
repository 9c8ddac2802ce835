/** Calls `run` once the caller has been quiet for `ms`; `cancel` drops a pending call. */
export function debounce<A extends unknown[]>(
  run: (...args: A) => void,
  ms: number,
): { call: (...args: A) => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    call: (...args: A) => {
      clearTimeout(timer);
      timer = setTimeout(() => run(...args), ms);
    },
    cancel: () => clearTimeout(timer),
  };
}
