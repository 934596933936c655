import * as tf from '@tensorflow/tfjs';
import { BclError, createBatchNorm, globalAveragePool, maxPool2d, type ForwardContext, type Module } from '../../core/index';

/** One convolution of the pruned branch: the dense network's kernel (shared, trained), its binary mask, its geometry. */
export interface MaskedConv {
  /** The dense backbone's kernel variable, HWIO. Borrowed: the backbone owns it. */
  readonly kernel: tf.Variable;
  /** 1 keeps a weight, 0 prunes it; same shape as `kernel`. Non-trainable, owned by the branch. */
  readonly mask: tf.Variable;
  readonly stride: number;
  readonly padding: number;
}

/**
 * SDCLR's pruned branch (Jiang et al. 2021; the BCL authors' `prune_resnet18_dual` with
 * `bn_name="prune"`): the dense backbone and projector run with every conv kernel multiplied by its
 * mask and with BatchNorm layers of their own. Gradients reach the shared kernels through the
 * masks (zero where pruned) and the linear layers of the projector unchanged.
 */
export interface PrunedBranch extends Module {
  /** Every conv of the backbone, in layer order: what magnitude pruning ranks. */
  readonly convs: readonly MaskedConv[];
}

/** Options of `createPrunedBranch`. */
export interface PrunedBranchOptions {
  /** A ResNet from core's `createResNet` (e.g. via `BackboneFactory`); its kernels are shared, not copied. */
  readonly backbone: Module;
  /** A projector from core's `createProjector` / `createMlp` with a BatchNorm after every linear layer. */
  readonly projector: Module;
  /** Variable prefix, e.g. `sdclr/pruned`: `<name>/backbone/<path>/mask`, `<name>/projector/bn1/gamma`, ... */
  readonly name: string;
}

/** A conv (masked) followed by the branch's own BatchNorm. */
interface ConvBn {
  readonly conv: MaskedConv;
  readonly bn: Module;
}

interface Block {
  /** The residual path: conv-BN pairs with a ReLU between consecutive pairs. */
  readonly layers: readonly ConvBn[];
  readonly shortcut?: ConvBn;
}

interface Linear {
  readonly kernel: tf.Variable;
  readonly bias?: tf.Variable;
  readonly bn: Module;
}

/**
 * Builds the pruned branch from the dense modules' variables, found by their torchvision-style
 * names (`conv1`, `layer2.0.conv1`, `layer2.0.downsample.0`, `fc1`, `bn1`, ...; docs/models.md),
 * with core's geometry: 3x3 convs pad 1, the first block of stages 2-4 strides 2 (on conv1 of a
 * basic block, conv2 of a bottleneck), a 7x7 stem strides 2 and is followed by a 3x3/2 max-pool.
 * Masks start at 1 and the new BatchNorm layers start from the dense layers' current gamma and
 * beta (at creation: the same initialisation, as in the authors' dual-BN ResNet).
 *
 * The branch owns its masks and BatchNorm layers; `apply` returns embeddings the caller owns.
 */
export function createPrunedBranch(options: PrunedBranchOptions): PrunedBranch {
  const { backbone, projector, name } = options;
  // Creation order, for teardown in reverse.
  const owned: { dispose(): void }[] = [];
  const batchNorms: Module[] = [];
  const masks: tf.Variable[] = [];
  const dense = new Map([...backbone.trainableVariables(), ...projector.trainableVariables()].map((v) => [v.name, v]));
  const denseState = new Map([...backbone.stateVariables(), ...projector.stateVariables()].map((v) => [v.name, v]));
  const used = new Set<string>();

  const variable = (path: string): tf.Variable | undefined => {
    const found = dense.get(path);
    if (found) used.add(path);
    return found;
  };
  const missing = (path: string): BclError =>
    new BclError('PLUGIN_FAILED', `sdclr expected the dense network to have a variable ${path}, but it has none.`, {
      hint: "SDCLR's pruned branch mirrors core's createResNet and createProjector; other backbones are not supported.",
    });
  const required = (path: string): tf.Variable => {
    const found = variable(path);
    if (!found) throw missing(path);
    return found;
  };
  const twinBatchNorm = (densePath: string, twinPath: string): Module => {
    const gamma = required(`${densePath}/gamma`);
    const beta = required(`${densePath}/beta`);
    if (!denseState.has(`${densePath}/running_mean`)) throw missing(`${densePath}/running_mean`);
    const bn = createBatchNorm({ name: twinPath, channels: gamma.shape[0] });
    batchNorms.push(bn);
    owned.push(bn);
    const [twinGamma, twinBeta] = bn.trainableVariables();
    tf.tidy(() => {
      twinGamma.assign(gamma);
      twinBeta.assign(beta);
    });
    return bn;
  };
  const convBn = (convPath: string, bnPath: string, stride: number): ConvBn => {
    const kernel = required(`${backbone.name}/${convPath}/kernel`);
    const mask = tf.tidy(() => tf.variable(tf.onesLike(kernel), false, `${name}/backbone/${convPath}/mask`));
    masks.push(mask);
    owned.push(mask);
    const conv = { kernel, mask, stride, padding: Math.floor(kernel.shape[0] / 2) };
    return { conv, bn: twinBatchNorm(`${backbone.name}/${bnPath}`, `${name}/backbone/${bnPath}`) };
  };

  const mirror = () => {
    const imagenetStem = required(`${backbone.name}/conv1/kernel`).shape[0] === 7;
    const stem = convBn('conv1', 'bn1', imagenetStem ? 2 : 1);
    const blocks: Block[] = [];
    for (let stage = 1; dense.has(`${backbone.name}/layer${stage}.0.conv1/kernel`); stage++) {
      for (let index = 0; dense.has(`${backbone.name}/layer${stage}.${index}.conv1/kernel`); index++) {
        const path = `layer${stage}.${index}`;
        const stride = stage > 1 && index === 0 ? 2 : 1;
        // torchvision v1.5: a bottleneck strides on its 3x3 (conv2), a basic block on conv1.
        const bottleneck = dense.has(`${backbone.name}/${path}.conv3/kernel`);
        const stridedConv = bottleneck ? 2 : 1;
        const layers = Array.from({ length: bottleneck ? 3 : 2 }, (_, i) =>
          convBn(`${path}.conv${i + 1}`, `${path}.bn${i + 1}`, i + 1 === stridedConv ? stride : 1),
        );
        const shortcut = dense.has(`${backbone.name}/${path}.downsample.0/kernel`)
          ? convBn(`${path}.downsample.0`, `${path}.downsample.1`, stride)
          : undefined;
        blocks.push({ layers, shortcut });
      }
    }
    const head: Linear[] = [];
    for (let i = 1; dense.has(`${projector.name}/fc${i}/kernel`); i++) {
      head.push({
        kernel: required(`${projector.name}/fc${i}/kernel`),
        bias: variable(`${projector.name}/fc${i}/bias`),
        bn: twinBatchNorm(`${projector.name}/bn${i}`, `${name}/projector/bn${i}`),
      });
    }
    const unused = [...dense.keys()].filter((key) => !used.has(key));
    if (unused.length > 0 || head.length === 0) {
      const what = unused.length > 0 ? `variables ${unused.slice(0, 3).join(', ')} have no place in the pruned branch` : `${projector.name} has no fc1`;
      throw new BclError('PLUGIN_FAILED', `sdclr could not mirror the dense network: ${what}.`, {
        hint: "SDCLR's pruned branch mirrors core's createResNet and a projector with BatchNorm after every linear layer.",
      });
    }
    return { imagenetStem, stem, blocks, head };
  };

  let parts: ReturnType<typeof mirror>;
  try {
    parts = mirror();
  } catch (error) {
    for (let i = owned.length - 1; i >= 0; i--) owned[i].dispose();
    throw error;
  }
  const { imagenetStem, stem, blocks, head } = parts;

  const applyConvBn = ({ conv, bn }: ConvBn, x: tf.Tensor4D, context: ForwardContext): tf.Tensor4D =>
    bn.apply(tf.conv2d(x, tf.mul(conv.kernel, conv.mask) as tf.Tensor4D, conv.stride, conv.padding), context) as tf.Tensor4D;

  let disposed = false;
  return {
    name,
    convs: [stem, ...blocks.flatMap((b) => (b.shortcut ? [...b.layers, b.shortcut] : b.layers))].map((l) => l.conv),
    trainableVariables: () => batchNorms.flatMap((m) => m.trainableVariables()),
    stateVariables: () => [...batchNorms.flatMap((m) => m.stateVariables()), ...masks],
    apply: (input, context) =>
      tf.tidy(() => {
        let x = tf.relu(applyConvBn(stem, input as tf.Tensor4D, context));
        if (imagenetStem) x = maxPool2d(x, 3, 2, 1);
        for (const { layers, shortcut } of blocks) {
          let y = x;
          layers.forEach((layer, i) => {
            y = applyConvBn(layer, y, context);
            if (i < layers.length - 1) y = tf.relu(y);
          });
          x = tf.relu(tf.add(y, shortcut ? applyConvBn(shortcut, x, context) : x)) as tf.Tensor4D;
        }
        let z: tf.Tensor = globalAveragePool(x);
        head.forEach(({ kernel, bias, bn }, i) => {
          z = tf.matMul(z as tf.Tensor2D, kernel as tf.Tensor2D);
          if (bias) z = tf.add(z, bias);
          z = bn.apply(z, context);
          if (i < head.length - 1) z = tf.relu(z);
        });
        return z;
      }),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (let i = owned.length - 1; i >= 0; i--) owned[i].dispose();
    },
  };
}
