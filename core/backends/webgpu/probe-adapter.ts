/**
 * Asks WebGPU for the adapter tfjs will use (same request options: high-performance) and
 * describes it, so the start-up banner can name the GPU and `auto` can refuse software adapters.
 */

/** The adapter, as the banner and the backend choice need it. */
export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A software adapter (e.g. SwiftShader, a CPU emulation): `auto` never picks one. */
  readonly isFallback: boolean;
  /** The limits that bound tensor sizes on this adapter, in bytes. */
  readonly maxBufferSize: number;
  readonly maxStorageBufferBindingSize: number;
}

interface GpuAdapterLike {
  readonly info?: Record<string, unknown>;
  readonly isFallbackAdapter?: boolean;
  readonly limits: Record<string, number>;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** The adapter summary, or undefined when the system offers none (no driver, no Vulkan ICD). */
export async function probeAdapter(): Promise<AdapterSummary | undefined> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (gpu === undefined) return undefined;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) return undefined;
  const info = adapter.info ?? {};
  const text = (key: string): string => (typeof info[key] === 'string' ? (info[key] as string) : '');
  return {
    vendor: text('vendor'),
    architecture: text('architecture'),
    device: text('device'),
    description: text('description'),
    // Where the flag lives moved between spec drafts: on GPUAdapterInfo now, on the adapter before.
    isFallback: info.isFallbackAdapter === true || adapter.isFallbackAdapter === true,
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/** One line for the banner: `NVIDIA hopper "NVIDIA H200" (max buffer 1.0 GiB, binding 1.0 GiB)`. */
export function describeAdapter(adapter: AdapterSummary): string {
  const name = [adapter.description, adapter.device].find((s) => s !== '') ?? '';
  const parts = [adapter.vendor || 'unknown vendor', adapter.architecture || 'unknown architecture'];
  if (name !== '') parts.push(`"${name}"`);
  const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  const software = adapter.isFallback ? ', software adapter' : '';
  return `${parts.join(' ')} (max buffer ${gib(adapter.maxBufferSize)}, storage binding ${gib(adapter.maxStorageBufferBindingSize)}${software})`;
}
