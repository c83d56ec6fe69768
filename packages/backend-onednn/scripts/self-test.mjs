#!/usr/bin/env node
// The addon's self-test, run in a child process by `selfTestOnednnAddon` (src/self_test.ts) so that a crash
// inside native code ends this process, not the caller's. It drives the parts of the addon whose code
// depends on the instruction set — oneDNN's JIT convolutions and matmuls (forward, both gradients, the
// layer shapes of ResNet/EfficientNet stems and blocks, and the strided 1x1 filter gradient that oneDNN
// 2.6 gets wrong on AVX-512) and the addon's own AVX2 exp/sigmoid loops — several times each, under guard
// pages (QAD_ONEDNN_GUARD_PAGES=1, set by the parent: an out-of-bounds access faults at once), and compares
// every result with a float64 reference computed here. Prints one JSON line; exits 0 only when all agree.
//
// usage: node self-test.mjs <addon.node>
// QAD_ONEDNN_SELF_TEST_INJECT=crash|wrong|hang makes it fail on purpose (tests of the fallback).
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const TOLERANCE = 1e-4;
const REPEATS = 3;
const started = Date.now();
const inject = process.env.QAD_ONEDNN_SELF_TEST_INJECT ?? '';

function fail(reason) {
  process.stdout.write(`${JSON.stringify({ ok: false, reason })}\n`);
  process.exit(1);
}

const addonPath = process.argv[2];
if (!addonPath) fail('no addon path given');
let addon;
try {
  addon = createRequire(import.meta.url)(resolve(addonPath));
} catch (error) {
  fail(`cannot load ${addonPath}: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
}

/** Deterministic values in [−1, 1). */
function values(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

function maxRelError(got, want) {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    const d = Math.abs(got[i] - want[i]);
    worst = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(worst, d);
  }
  return worst / (scale || 1);
}

function check(name, got, want) {
  if (inject === 'wrong') got[0] += 1;
  const err = maxRelError(got, want);
  if (!(err <= TOLERANCE))
    fail(`${name}: relative error ${err.toExponential(2)} against float64 (limit ${TOLERANCE})`);
}

// A convolution's geometry in the addon's order: [N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW,
// PT, PL, PB, PR, G], NHWC activations and HWIO filters.
// A depthwise convolution (`dw`) has one group per channel and TF's [KH, KW, C, 1] filter.
function geometry({ n, h, ic, oc, k, s, p, dw = false }) {
  const o = Math.floor((h + 2 * p - k) / s) + 1;
  const groups = dw ? ic : 1;
  return {
    n,
    h,
    ic,
    oc,
    k,
    s,
    p,
    o,
    dw,
    params: [n, h, h, ic, o, o, oc, k, k, s, s, 1, 1, p, p, p, p, groups],
  };
}

// Visits every (input, filter, output) index triple of a convolution once.
function forEachTap(g, visit) {
  for (let b = 0; b < g.n; b++)
    for (let oy = 0; oy < g.o; oy++)
      for (let ox = 0; ox < g.o; ox++)
        for (let ky = 0; ky < g.k; ky++)
          for (let kx = 0; kx < g.k; kx++) {
            const iy = oy * g.s - g.p + ky;
            const ix = ox * g.s - g.p + kx;
            if (iy < 0 || ix < 0 || iy >= g.h || ix >= g.h) continue;
            for (let c = 0; c < g.ic; c++)
              for (let f = g.dw ? c : 0; f < (g.dw ? c + 1 : g.oc); f++) {
                visit(
                  ((b * g.h + iy) * g.h + ix) * g.ic + c,
                  g.dw ? (ky * g.k + kx) * g.ic + c : ((ky * g.k + kx) * g.ic + c) * g.oc + f,
                  ((b * g.o + oy) * g.o + ox) * g.oc + f,
                );
              }
          }
}

// ResNet/EfficientNet layer shapes, small: stem, 3x3 blocks, strided and unit 1x1 projections, and
// the strided 1x1 with fewer input channels than any channel block (oneDNN 2.6's faulty case).
const CONVS = [
  { n: 2, h: 16, ic: 3, oc: 16, k: 7, s: 2, p: 3 },
  { n: 2, h: 8, ic: 16, oc: 16, k: 3, s: 1, p: 1 },
  { n: 1, h: 9, ic: 3, oc: 8, k: 3, s: 2, p: 1 },
  { n: 1, h: 8, ic: 32, oc: 64, k: 1, s: 1, p: 0 },
  { n: 1, h: 10, ic: 8, oc: 8, k: 1, s: 2, p: 0 },
  { n: 1, h: 10, ic: 3, oc: 16, k: 1, s: 2, p: 0 },
  { n: 2, h: 10, ic: 24, oc: 32, k: 1, s: 2, p: 0 },
  // EfficientNet's depthwise layers (brdgmm_dw on AVX-512, jit_dw on AVX2).
  { n: 2, h: 8, ic: 32, oc: 32, k: 3, s: 1, p: 1, dw: true },
  { n: 2, h: 9, ic: 48, oc: 48, k: 5, s: 2, p: 2, dw: true },
];

for (const [i, shape] of CONVS.entries()) {
  const g = geometry(shape);
  const label = `${g.dw ? 'depthwise ' : ''}${g.k}x${g.k}/${g.s} ${g.ic}→${g.oc} on ${g.n}×${g.h}×${g.h}`;
  const x = values(g.n * g.h * g.h * g.ic, 10 * i + 1);
  const w = values(g.k * g.k * g.ic * (g.dw ? 1 : g.oc), 10 * i + 2);
  const dy = values(g.n * g.o * g.o * g.oc, 10 * i + 3);
  const y64 = new Float64Array(dy.length);
  const dx64 = new Float64Array(x.length);
  const dw64 = new Float64Array(w.length);
  forEachTap(g, (xi, wi, yi) => {
    y64[yi] += x[xi] * w[wi];
    dx64[xi] += dy[yi] * w[wi];
    dw64[wi] += x[xi] * dy[yi];
  });
  for (let r = 0; r < REPEATS; r++) {
    const y = new Float32Array(y64.length);
    addon.conv2dForward(x, w, null, y, g.params, 0, 0);
    check(`conv2dForward ${label}`, y, y64);
    const dx = new Float32Array(dx64.length);
    addon.conv2dBackwardData(dy, w, dx, g.params);
    check(`conv2dBackwardData ${label}`, dx, dx64);
    const dw = new Float32Array(dw64.length);
    addon.conv2dBackwardWeights(x, dy, dw, g.params);
    check(`conv2dBackwardWeights ${label}`, dw, dw64);
    if (inject === 'crash') process.kill(process.pid, 'SIGSEGV');
  }
}

if (inject === 'hang') for (;;);

// Matmul as a dense layer and its two gradients use it: [M, K] × [K, N], plain and with A transposed.
for (const [m, k, n, ta] of [
  [16, 64, 10, 0],
  [64, 16, 10, 1],
]) {
  const a = values(m * k, m + k);
  const b = values(k * n, k + n);
  const want = new Float64Array(m * n);
  for (let r = 0; r < m; r++)
    for (let c = 0; c < n; c++)
      for (let j = 0; j < k; j++) want[r * n + c] += (ta ? a[j * m + r] : a[r * k + j]) * b[j * n + c];
  for (let rep = 0; rep < REPEATS; rep++) {
    const out = new Float32Array(m * n);
    addon.matMul(a, b, null, out, [1, 1, m, k, n, ta, 0], 0, 0);
    check(`matMul ${m}×${k}·${k}×${n}${ta ? ' (A transposed)' : ''}`, out, want);
  }
}

// The addon's own vector loops (eight lanes where AVX2 is allowed, else four): lengths that leave tails.
const EXP = 6;
const SIGMOID = 8;
for (const length of [1003, 40_000]) {
  const x = values(length, length);
  for (let i = 0; i < length; i++) x[i] *= 20;
  for (const [op, name, f] of [
    [EXP, 'Exp', Math.exp],
    [SIGMOID, 'Sigmoid', (v) => 1 / (1 + Math.exp(-v))],
  ]) {
    const out = new Float32Array(length);
    addon.unary(op, x, out, 0);
    check(`${name} over ${length} values`, out, Float64Array.from(x, f));
  }
}

process.stdout.write(
  `${JSON.stringify({
    ok: true,
    isa: addon.cpuIsa(),
    version: addon.version(),
    wideVectors: addon.wideVectors(),
    guardPages: addon.guardPages(),
    implementations: [...new Set(Object.values(addon.implementations()))].sort(),
    ms: Date.now() - started,
  })}\n`,
);
