import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackbone, saveDetector } from '@qad/backbones';
import { encodeVideo } from '@qad/data-jpeg-aug';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../src/cli';
import { faceTensor } from '../src/detect';
import { useTinyBenchmark } from './tiny_benchmark';

const dir = mkdtempSync(join(tmpdir(), 'qad-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process; returns what it printed. */
async function qad(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const program = buildProgram().exitOverride();
    for (const command of program.commands) command.exitOverride();
    program.configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
    await program.parseAsync(['node', 'qad', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}

describe('qad CLI', () => {
  it('lists its commands in --help', async () => {
    const help = buildProgram().helpInformation();
    for (const command of ['train', 'eval', 'detect', 'make-benchmark', 'bench']) {
      expect(help).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    }
    await expect(qad('--help')).rejects.toThrow('(outputHelp)');
  });

  it('refuses a bad configuration with every problem and its path', async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(
      config,
      'name: x\ndata: {format: ffpp, root: /nowhere}\nmodel: {backbone: vgg}\ntrain: {alpha: -1}\noutput: o\n',
    );
    await expect(qad('train', '-c', config)).rejects.toThrow(
      /Invalid configuration in .*bad\.yaml:\n {2}- model\.backbone: Invalid option.*\n {2}- train\.alpha: Too small/,
    );
  });

  it('rejects an unknown backend name', async () => {
    await expect(qad('bench', '--backend', 'gpu')).rejects.toThrow(/argument 'gpu' is invalid/);
  });

  it('detect scores whole images with a saved detector exactly as the model does on the same preprocessing', async () => {
    const net = createBackbone('resnet18', { inputSize: 32, widthMultiplier: 0.125, seed: 3 });
    const detector = join(dir, 'detector');
    await saveDetector(net, detector);
    writeFileSync(join(detector, 'detector.json'), JSON.stringify({ inputSize: 32, preResize: 48 }));
    const pixels = Buffer.alloc(40 * 40 * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37) % 251;
    const image = join(dir, 'face.png');
    await sharp(pixels, { raw: { width: 40, height: 40, channels: 3 } })
      .png()
      .toFile(image);

    const { stdout } = await qad('detect', image, '-d', detector, '--no-faces', '--json', '--backend', 'cpu');
    const result = JSON.parse(stdout.trim());
    expect(result).toMatchObject({ path: image, kind: 'image', framesWithoutFace: 0 });
    const x = await faceTensor(
      { data: new Uint8Array(pixels), width: 40, height: 40 },
      { inputSize: 32, preResize: 48 },
    );
    const expected = tf.tidy(() => tf.softmax(net.model.predict(x) as tf.Tensor2D).dataSync()[1]!);
    x.dispose();
    expect(result.score).toBeCloseTo(expected, 5);
    net.dispose();
  });

  it('detect on a truncated video is an error naming the file, never a faceless video', async () => {
    const frames = Array.from({ length: 12 }, (_, t) => {
      const data = new Uint8Array(64 * 64 * 3);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7 + t * 13) % 256;
      return { data, width: 64, height: 64 };
    });
    const clip = join(dir, 'clip.mp4');
    await encodeVideo(frames, clip, { crf: 23 });
    const truncated = join(dir, 'truncated.mp4');
    const bytes = readFileSync(clip);
    expect(bytes.length).toBeGreaterThan(600);
    writeFileSync(truncated, bytes.subarray(0, 500));
    const detector = join(dir, 'detector');
    await expect(
      qad('detect', truncated, '-d', detector, '--no-faces', '--json', '--backend', 'cpu'),
    ).rejects.toThrow(/truncated\.mp4/);
    // The intact clip is scored frame by frame.
    const { stdout } = await qad('detect', clip, '-d', detector, '--no-faces', '--json', '--backend', 'cpu');
    const result = JSON.parse(stdout.trim());
    expect(result).toMatchObject({ path: clip, kind: 'video', framesWithoutFace: 0 });
    expect(result.faces.length).toBe(12);
  });

  it('detect names a missing path', async () => {
    await expect(
      qad('detect', join(dir, 'nope.jpg'), '-d', join(dir, 'detector'), '--no-faces', '--backend', 'cpu'),
    ).rejects.toThrow(/detect: '.*nope\.jpg' does not exist\./);
  });
});

describe('qad train --smoke on the comparison detectors (tiny generated benchmark)', () => {
  const tiny = useTinyBenchmark('qad-cli-smoke-', 4);
  for (const [backbone, method] of [
    ['meso4', 'ce'],
    ['meso4', 'qad'],
    ['mesoinception4', 'ce'],
    ['xception', 'ce'],
  ] as const) {
    it(`${backbone} with ${method}: trains one epoch at 32 px, tests per quality, writes the detector`, async () => {
      const output = join(tiny.dir, `smoke-${backbone}-${method}`);
      const config = join(tiny.dir, `${backbone}-${method}.json`);
      writeFileSync(
        config,
        JSON.stringify({
          name: `smoke-${backbone}`,
          data: tiny.data({ preResize: null }),
          model: { backbone },
          train: { method, seed: 3 },
          eval: { qualities: ['raw', 'c40'], batchSize: 16 },
          output,
          backend: 'wasm',
        }),
      );
      const { stdout } = await qad('train', '-c', config, '--smoke');
      expect(stdout).toMatch(/AUC/);
      const results = JSON.parse(readFileSync(join(output, 'results.json'), 'utf8'));
      expect(results.method).toBe(method);
      expect(results.config.model.backbone).toBe(backbone);
      expect(results.config.hyper).toMatchObject({ inputSize: 32, epochs: 1, batchPerQuality: 2 });
      // The comparison detector's own recipe for what --smoke leaves alone (MesoNet: lr 1e-3; Xception: 2e-4).
      expect(results.config.hyper.learningRate).toBe(backbone === 'xception' ? 2e-4 : 1e-3);
      expect(existsSync(join(output, 'detector', 'model.json'))).toBe(true);
      for (const quality of ['raw', 'c40']) {
        const auc = results.evaluation.perQuality[quality].auc;
        expect(auc).toBeGreaterThanOrEqual(0);
        expect(auc).toBeLessThanOrEqual(1);
      }
    });
  }
});
