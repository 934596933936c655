import * as tf from '@tensorflow/tfjs';

/** Explicit NHWC padding as tf.conv2d / tf.depthwiseConv2d take it. */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/** Rows/columns to add (positive) or remove (negative) on each side of an NHWC tensor. */
export interface SpatialMargins {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/**
 * Splits margins into a crop and an explicit padding: negative margins are sliced off `x` here,
 * positive ones are returned as `padding` so the following convolution pads on the fly instead of
 * materialising a padded copy. Call inside the caller's `tf.tidy`; `cropped` is `x` itself when
 * nothing is cropped, otherwise a new tensor tracked by that scope.
 */
export function cropNegativeMargins(
  x: tf.Tensor4D,
  margins: SpatialMargins,
): { cropped: tf.Tensor4D; padding: ExplicitPadding } {
  const cropTop = Math.max(0, -margins.top);
  const cropBottom = Math.max(0, -margins.bottom);
  const cropLeft = Math.max(0, -margins.left);
  const cropRight = Math.max(0, -margins.right);
  const [batch, height, width, channels] = x.shape;
  const needsCrop = cropTop + cropBottom + cropLeft + cropRight > 0;
  const cropped = needsCrop
    ? tf.slice(x, [0, cropTop, cropLeft, 0], [batch, height - cropTop - cropBottom, width - cropLeft - cropRight, channels])
    : x;
  const padding: ExplicitPadding = [
    [0, 0],
    [Math.max(0, margins.top), Math.max(0, margins.bottom)],
    [Math.max(0, margins.left), Math.max(0, margins.right)],
    [0, 0],
  ];
  return { cropped, padding };
}
