import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presetFor } from '@qad/trainer';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, resolveExperiment } from '../src/config';

const dir = mkdtempSync(join(tmpdir(), 'qad-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const minimal = {
  name: 'r50',
  data: { format: 'ffpp', root: '/data/ffpp' },
  model: { backbone: 'resnet50' },
  output: 'runs/r50',
};

describe('configuration', () => {
  it("fills unset training values from the authors' preset of the backbone", () => {
    const r = resolveExperiment(parseConfig(minimal));
    expect(r.hyper).toMatchObject({
      inputSize: 224,
      batchPerQuality: 64,
      learningRate: 2e-4,
      alpha: 0.003,
      gamma: 0.002,
      seed: 41,
    });
    expect(r.train.method).toBe('qad');
    expect(r.data.qualities).toEqual(['raw', 'c23', 'c40']);
    const e = resolveExperiment(
      parseConfig({ ...minimal, model: { backbone: 'efficientnet_b1' }, train: { alpha: 0.01 } }),
    );
    expect(e.hyper).toMatchObject({ inputSize: 240, batchPerQuality: 32, gamma: 0.006, alpha: 0.01 });
    expect(presetFor('resnet50', 'paper')).toMatchObject({
      learningRate: 2e-3,
      alpha: 0.004,
      hsicPreset: 'paper',
    });
  });

  it('reads YAML and JSON files', () => {
    const yamlPath = join(dir, 'a.yaml');
    writeFileSync(
      yamlPath,
      'name: y\ndata: {format: generic, root: d}\nmodel: {backbone: resnet18, inputSize: 64}\noutput: o\ntrain: {method: ce, epochs: 2}\n',
    );
    expect(resolveExperiment(loadConfig(yamlPath)).hyper).toMatchObject({ inputSize: 64, epochs: 2 });
    const jsonPath = join(dir, 'a.json');
    writeFileSync(jsonPath, JSON.stringify(minimal));
    expect(loadConfig(jsonPath).model.backbone).toBe('resnet50');
  });

  it('lists every problem with its path: unknown backbone, negative α, unknown method, unknown key', () => {
    const bad = {
      ...minimal,
      model: { backbone: 'vgg16' },
      train: { alpha: -0.1, method: 'hsic+dropout' },
      extra: 1,
    };
    let message = '';
    try {
      parseConfig(bad, 'bad.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration in bad\.yaml:/);
    expect(message).toMatch(
      /- model\.backbone: Invalid option: expected one of "resnet18"\|"resnet34"\|"resnet50"\|"efficientnet_b0"\|"efficientnet_b1"/,
    );
    expect(message).toContain('- train.alpha: Too small: expected number to be >=0');
    expect(message).toContain('- train.method: unknown method');
    expect(message).toContain('Unrecognized key: "extra"');
  });

  it('names the file when it is missing or not parseable', () => {
    expect(() => loadConfig(join(dir, 'missing.yaml'))).toThrow(
      /^Cannot read configuration '.*missing\.yaml': ENOENT/,
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"name": ');
    expect(() => loadConfig(broken)).toThrow(/^Configuration '.*broken\.json' is not valid JSON/);
  });
});

describe('environment variables in configuration files', () => {
  it('expands ${NAME} in every string and names an unset variable and the file', () => {
    const path = join(dir, 'env.yaml');
    writeFileSync(
      path,
      'name: e\ndata: {format: ffpp, root: "${QAD_TEST_ROOT}/ffpp"}\nmodel: {backbone: resnet18}\noutput: "${QAD_TEST_ROOT}/runs"\n',
    );
    process.env.QAD_TEST_ROOT = '/mnt/data';
    try {
      const c = loadConfig(path);
      expect(c.data.root).toBe('/mnt/data/ffpp');
      expect(c.output).toBe('/mnt/data/runs');
    } finally {
      delete process.env.QAD_TEST_ROOT;
    }
    expect(() => loadConfig(path)).toThrow(
      /^Configuration '.*env\.yaml' uses \$\{QAD_TEST_ROOT\}, which is not set in the environment\.$/,
    );
  });
});
