/** How often one kernel ran natively and how often it handed the call to the cpu kernel. */
export interface KernelRoute {
  native: number;
  fallback: number;
}

const routes = new Map<string, KernelRoute>();

/** Counts one call of `kernelName`: native unless the kernel handed it to the cpu kernel. */
export function countRoute(kernelName: string, fellBack: boolean): void {
  let r = routes.get(kernelName);
  if (!r) {
    r = { native: 0, fallback: 0 };
    routes.set(kernelName, r);
  }
  if (fellBack) r.fallback++;
  else r.native++;
}

/**
 * Per overridden kernel, the calls run natively and those handed to the cpu kernel (other dtypes,
 * layouts or broadcasts the native code does not cover) since the last {@link resetKernelRoutes}: the
 * first thing to look at when a model is slower on `onednn` than expected.
 */
export function kernelRoutes(): Record<string, KernelRoute> {
  return Object.fromEntries([...routes].map(([k, v]) => [k, { ...v }]));
}

/** Clears the counts of {@link kernelRoutes}. */
export function resetKernelRoutes(): void {
  routes.clear();
}
