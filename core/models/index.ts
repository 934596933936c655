/**
 * Public API of the network building blocks: functional modules with explicit, named variables
 * (no tf.layers), seeded initialisation, and BatchNorm state updates collected per step.
 * See docs/models.md.
 */
export { applyStateUpdates, moduleVariables, type ForwardContext, type Module, type StateUpdate } from './module';
export { createBatchNorm, type BatchNormOptions } from './batch-norm';
export { createConv2d, type Conv2dOptions } from './conv2d';
export { createLinear, type LinearOptions } from './linear';
export { createRelu } from './relu';
export { globalAveragePool, maxPool2d } from './pooling';
export { compositeParts, createSequential, type CompositeParts } from './composite';
export {
  createBasicBlock,
  createBottleneckBlock,
  type ResidualBlockFactory,
  type ResidualBlockOptions,
} from './residual-blocks';
export { createResNet, type ResNet, type ResNetDepth, type ResNetOptions, type ResNetStem } from './resnet';
export { createMlp, type MlpOptions } from './mlp';
export { createProjector, type ProjectorOptions } from './projector';
export { kaimingNormalFanOut, uniformSymmetric } from './init';
export { countParameters } from './parameters';
