import { BclError } from '../errors';
import type { SafetensorsEntry } from './safetensors';

/** One variable of a bcl-ssl ResNet, read to the host. */
export interface BackboneVariable {
  /** Path below the backbone's prefix, e.g. `layer2.0.downsample.0/kernel`, `bn1/running_var`. */
  readonly path: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * Maps a bcl-ssl ResNet's variables to torchvision's `state_dict`: module paths are already
 * torchvision's (`conv1`, `layer1.0.bn2`, `layer2.0.downsample.1`, ...); conv kernels go from
 * tfjs HWIO `[kh, kw, in, out]` to PyTorch OIHW `[out, in, kh, kw]`; BatchNorm's gamma and beta
 * become `weight` and `bias`, its running statistics keep their names, and each BatchNorm gets
 * `num_batches_tracked` (int64 scalar, `batchesTracked`: torchvision reads it only when
 * `momentum=None`). Entries come module by module in the order of `variables`, each module's
 * in torchvision's order (weight, bias, running_mean, running_var, num_batches_tracked).
 */
export function toTorchvisionStateDict(variables: readonly BackboneVariable[], batchesTracked: number): SafetensorsEntry[] {
  const modules = new Map<string, Map<string, BackboneVariable>>();
  for (const v of variables) {
    const slash = v.path.lastIndexOf('/');
    if (slash < 0) throw new BclError('USAGE', `cannot export variable "${v.path}": expected <module>/<kernel|gamma|beta|running_mean|running_var>.`);
    const module = v.path.slice(0, slash);
    if (!modules.has(module)) modules.set(module, new Map());
    modules.get(module)!.set(v.path.slice(slash + 1), v);
  }
  const entries: SafetensorsEntry[] = [];
  for (const [module, parts] of modules) {
    const kinds = [...parts.keys()].sort().join(',');
    if (kinds === 'kernel') {
      const kernel = parts.get('kernel')!;
      if (kernel.shape.length !== 4) throw new BclError('USAGE', `cannot export ${module}/kernel of shape [${kernel.shape}]: a conv kernel is [kh, kw, in, out].`);
      entries.push(float32(`${module}.weight`, hwioToOihw(kernel)));
    } else if (kinds === 'beta,gamma,running_mean,running_var') {
      entries.push(
        float32(`${module}.weight`, parts.get('gamma')!),
        float32(`${module}.bias`, parts.get('beta')!),
        float32(`${module}.running_mean`, parts.get('running_mean')!),
        float32(`${module}.running_var`, parts.get('running_var')!),
        { name: `${module}.num_batches_tracked`, dtype: 'I64', shape: [], data: int64Scalar(batchesTracked) },
      );
    } else {
      throw new BclError('USAGE', `cannot export module ${module} with variables ${kinds}: only ResNet conv (kernel) and BatchNorm (gamma, beta, running_mean, running_var) modules map to torchvision.`);
    }
  }
  return entries;
}

/** `[kh, kw, in, out]` row-major to `[out, in, kh, kw]` row-major. */
export function hwioToOihw(kernel: Pick<BackboneVariable, 'shape' | 'data'>): { shape: number[]; data: Float32Array } {
  const [kh, kw, cin, cout] = kernel.shape;
  const out = new Float32Array(kernel.data.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        const from = ((y * kw + x) * cin + i) * cout;
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = kernel.data[from + o];
      }
    }
  }
  return { shape: [cout, cin, kh, kw], data: out };
}

function float32(name: string, v: { shape: readonly number[]; data: Float32Array }): SafetensorsEntry {
  // Copy into a fresh buffer: tfjs data may be a view into a larger one, and the bytes must be little-endian (every supported host is).
  return { name, dtype: 'F32', shape: [...v.shape], data: new Uint8Array(Float32Array.from(v.data).buffer) };
}

function int64Scalar(value: number): Uint8Array {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(BigInt(value));
  return new Uint8Array(bytes.buffer, bytes.byteOffset, 8);
}
