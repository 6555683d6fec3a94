import { useApi } from './use-api';
import { get } from './client';
import type { ProcessKindInfo } from './types';

let cached: Promise<ProcessKindInfo[]> | null = null;
/** GET /process-kinds once per page load (the descriptors change only with a release). */
const loadKinds = (): Promise<ProcessKindInfo[]> => (cached ??= get<ProcessKindInfo[]>('/process-kinds').catch((e: unknown) => {
  cached = null;
  throw e;
}));

export function useKinds() {
  return useApi<ProcessKindInfo[]>('/process-kinds', loadKinds);
}
