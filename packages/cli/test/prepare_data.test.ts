import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config';
import { preparePairedIndex } from '../src/experiment/prepare_data';
import { useTinyBenchmark } from './tiny_benchmark';

const { dir, data: dataSection } = useTinyBenchmark('qad-prepare-', 1);

const config = (data: Record<string, unknown>) =>
  parseConfig({
    name: 'p',
    data: dataSection(data),
    model: { backbone: 'resnet18' },
    output: join(dir, 'out'),
  });

describe('preparePairedIndex', () => {
  it('crops the faces once and pairs every quality frame by frame, per split', async () => {
    const index = await preparePairedIndex(config({}));
    // 1 pair per split → 2 originals + 2 self-blended fakes, 2 frames each.
    for (const split of ['train', 'val', 'test'] as const) {
      const s = index[split];
      expect(s.labels).toHaveLength(8);
      expect(s.labels.filter((l) => l === 1)).toHaveLength(4);
      expect(Object.keys(s.frames)).toEqual(['raw', 'c23', 'c40']);
      s.frames.raw!.forEach((raw, i) => {
        expect(s.frames.c40![i]).toBe(raw.replace('/raw/', '/c40/'));
      });
    }
  });

  it('keeps only the configured FF++ methods when a crop folder is shared', async () => {
    const index = await preparePairedIndex(config({ methods: ['SelfBlend'] }));
    expect(index.train.videos.every((v) => v.startsWith('original') || v.startsWith('SelfBlend'))).toBe(true);
  });

  it('names a quality the data set does not have', async () => {
    await expect(preparePairedIndex(config({ qualities: ['raw', 'c23', 'c50'] }))).rejects.toThrow(
      /^FaceForensics\+\+: no \.mp4 videos in .*original_sequences\/youtube\/c50\/videos \(the folder is missing or empty\)\.$/,
    );
  });
});
