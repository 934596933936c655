import { ProtobufWriter } from './protobuf-writer';

/**
 * Serialised TensorBoard `Event` messages (tensorflow/core/util/event.proto and
 * framework/summary.proto), only the fields a scalar log needs:
 *
 *     message Event { double wall_time = 1; int64 step = 2; oneof what { string file_version = 3; Summary summary = 5; } }
 *     message Summary { repeated Value value = 1; message Value { string tag = 1; float simple_value = 2; } }
 *
 * TensorBoard reads `simple_value` summaries as scalars (its scalars plugin converts them).
 */

/** The first record of every event file: TensorBoard checks the version string. */
export function fileVersionEvent(wallTime: number): Buffer {
  return new ProtobufWriter().double(1, wallTime).int64(2, 0).string(3, 'brain.Event:2').finish();
}

/** One `Event` holding a `Summary` of scalars at `step`; `wallTime` in seconds since the epoch. */
export function scalarsEvent(wallTime: number, step: number, scalars: readonly (readonly [tag: string, value: number])[]): Buffer {
  const summary = new ProtobufWriter();
  for (const [tag, value] of scalars) summary.bytes(1, new ProtobufWriter().string(1, tag).float(2, value).finish());
  return new ProtobufWriter().double(1, wallTime).int64(2, step).bytes(5, summary.finish()).finish();
}
