import * as tf from '@tensorflow/tfjs';
import { displacedBy } from './swap-kernels';

/** The part of the wasm backend a sharing kernel needs: tfjs's reference count per dataId. */
interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

function share(x: tf.TensorInfo, backend: unknown): tf.TensorInfo {
  (backend as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * `Identity` for wasm that shares the input's memory (one more reference) instead of copying it, as
 * the cpu backend's does and wasm's own `Reshape` does. It matters for training: tfjs's engine
 * clones (runs `Identity` on) every tensor a gradient saves, so wasm's copying `Identity` copied
 * about 70 activation maps per ResNet-18 step. Sharing is safe because no tfjs or bcl-ssl kernel
 * writes into its inputs; `Variable.assign` swaps the dataId rather than writing the memory.
 */
const identity: tf.KernelFunc = ({ inputs, backend }) => share((inputs as { x: tf.TensorInfo }).x, backend);

/**
 * `Cast` for wasm that shares memory when the dtype does not change (tfjs's ReLU gradient casts a
 * float32 `Step` to float32), and otherwise converts with the kernel it displaced.
 */
const cast: tf.KernelFunc = (args) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if ((args.attrs as unknown as tf.CastAttrs).dtype === x.dtype) return share(x, args.backend);
  const converting = displacedBy(cast);
  if (converting === undefined) throw new Error('[wasm-training-kernels Cast] no wasm Cast kernel to convert with. Hint: set BCL_FAST_WASM_KERNELS=0.');
  return converting.kernelFunc(args) as tf.TensorInfo;
};

export const sharedIdentityConfig: tf.KernelConfig = { kernelName: tf.Identity, backendName: 'wasm', kernelFunc: identity };

export const sharedCastConfig: tf.KernelConfig = { kernelName: tf.Cast, backendName: 'wasm', kernelFunc: cast };
