import {
  BackboneFactory,
  createProjector,
  definePlugin,
  ntXentPerView,
  RunRandom,
  SIMCLR_BASE_PIPELINE,
  tf,
  z,
  type ForwardContext,
  type Module,
  type SslMethod,
  type TrainingBatch,
} from 'bcl-ssl';

/** Recipe options of `"method": { "name": "template-simclr", ... }`. */
export const TemplateSimclrOptionsSchema = z.strictObject({
  /** NT-Xent temperature (> 0). Default 0.2. */
  temperature: z.number().gt(0).default(0.2),
  /** Projector output width. Default 64. */
  projectionDim: z.number().int().positive().default(64),
});
export type TemplateSimclrOptions = z.output<typeof TemplateSimclrOptionsSchema>;

/** A method: two views, backbone + projector, NT-Xent. Replace the loss with your own. */
class TemplateSimclr implements SslMethod {
  readonly views = 2;
  private readonly projector: Module;

  constructor(
    private readonly backbone: Module & { readonly featureDim: number },
    rng: Parameters<typeof createProjector>[0]['rng'],
    private readonly options: TemplateSimclrOptions,
  ) {
    // Variables are named `<plugin>/<path>`, so checkpoints and error messages say whose they are.
    this.projector = createProjector({ name: 'template-simclr/projector', rng, inputDim: backbone.featureDim, hiddenDim: backbone.featureDim, outputDim: options.projectionDim });
  }

  trainableVariables(): tf.Variable[] {
    return [...this.backbone.trainableVariables(), ...this.projector.trainableVariables()];
  }

  stateVariables(): tf.Variable[] {
    return [...this.backbone.stateVariables(), ...this.projector.stateVariables()];
  }

  /** Per-view, per-sample loss [2, B]; the trainer owns the result. */
  loss(batch: TrainingBatch, context: ForwardContext): tf.Tensor2D {
    return tf.tidy(() => {
      const size = batch.indices.length;
      const embeddings = this.projector.apply(this.backbone.apply(tf.concat(batch.views as tf.Tensor4D[], 0), context), context) as tf.Tensor2D;
      const [z1, z2] = tf.split(embeddings, [size, size], 0) as [tf.Tensor2D, tf.Tensor2D];
      return ntXentPerView(z1, z2, this.options.temperature);
    });
  }

  encode(images: tf.Tensor4D): tf.Tensor2D {
    return this.backbone.apply(images, { training: false }) as tf.Tensor2D;
  }

  dispose(): void {
    this.projector.dispose();
    this.backbone.dispose();
  }
}

/** The method plugin definition. */
export const templateSimclrPlugin = definePlugin<TemplateSimclrOptions>({
  name: 'template-simclr',
  kind: 'method',
  description: 'template method: SimCLR-style NT-Xent over two views',
  docs: 'https://example.org/bcl-plugin-template#template-simclr',
  options: TemplateSimclrOptionsSchema,
  create({ options, resolve }) {
    const method = new TemplateSimclr(resolve(BackboneFactory)('template-simclr/backbone'), resolve(RunRandom).stream('template-simclr/projector'), options);
    let disposed = false;
    return {
      method,
      views: [{ pipeline: SIMCLR_BASE_PIPELINE }, { pipeline: SIMCLR_BASE_PIPELINE }],
      dispose: () => {
        if (!disposed) method.dispose();
        disposed = true;
      },
    };
  },
});
