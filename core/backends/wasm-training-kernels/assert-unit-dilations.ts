/**
 * Throws unless `dilations` is 1 (or absent) in both spatial directions. tfjs-core's own depthwise
 * gradient rejects dilated convolutions, and the cpu reference kernels ignore dilation, so a
 * dilated case could be neither reached through `tf.grad` nor verified.
 */
export function assertUnitDilations(kernelName: string, dilations: number | [number, number] | undefined): void {
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : dilations ?? [1, 1];
  if (dh !== 1 || dw !== 1) {
    throw new Error(
      `[wasm-training-kernels ${kernelName}] expected dilations of 1, but got [${dh}, ${dw}]. ` +
        'Hint: tfjs computes gradients of undilated depthwise convolutions only; use dilations = 1 when training.',
    );
  }
}
