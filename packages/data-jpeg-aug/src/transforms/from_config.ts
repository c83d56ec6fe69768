import type { RgbImage } from '../types';
import { Compose } from './compose';
import { HorizontalFlip } from './horizontal_flip';
import { Jpeg } from './jpeg';
import { Normalize } from './normalize';
import { RandomJpeg } from './random_jpeg';
import { Resize } from './resize';
import type { Transform, TransformConfig } from './transform';

/**
 * Rebuilds a transform from its {@link Transform.config} (for instance read back from a JSON run
 * configuration). The options are validated as by the factories.
 *
 * @param config - a transform's `config`.
 */
export function transformFromConfig(config: TransformConfig): Transform<RgbImage, unknown, unknown> {
  switch (config?.name) {
    case 'Jpeg':
      return Jpeg(config);
    case 'RandomJpeg':
      return RandomJpeg(config);
    case 'Resize':
      return Resize({ width: config.width, height: config.height, kernel: config.kernel });
    case 'HorizontalFlip':
      return HorizontalFlip(config);
    case 'Normalize':
      return Normalize(config);
    case 'Compose':
      return Compose(
        config.transforms.map(transformFromConfig) as unknown as readonly [
          Transform<RgbImage, unknown, unknown>,
        ],
      );
    default:
      throw new Error(
        `'transformFromConfig': unknown transform ${JSON.stringify((config as { name?: unknown })?.name)}.`,
      );
  }
}
