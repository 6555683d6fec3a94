import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, arrivedEarly, get } from './client';

export interface Loaded<T> {
  data?: T;
  error?: ApiError | Error;
  loading: boolean;
  reload: () => void;
}

/** GET a path (null: nothing yet) and keep the answer; `reload` fetches it again. */
export function useApi<T>(path: string | null, load: (p: string) => Promise<T> = get): Loaded<T> {
  // An answer the warm start already has is drawn in the first render, and not fetched again for it.
  const [state, setState] = useState<{ data?: T; error?: ApiError | Error; loading: boolean }>(() => {
    const arrived = path !== null && load === get ? arrivedEarly<T>(path) : undefined;
    return arrived ? { data: arrived.value, loading: false } : { loading: path !== null };
  });
  const hadEarly = useRef(!state.loading && state.data !== undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    if (hadEarly.current) {
      hadEarly.current = false;
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load(path).then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error: error instanceof Error ? error : new Error(String(error)), loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
