import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../src/types';
import { decodeFrames } from '../src/video/decode_frames';
import { encodeVideo } from '../src/video/encode_video';
import { FFMPEG_ENV, resolveFfmpeg } from '../src/video/ffmpeg_path';
import { probeVideo } from '../src/video/probe_video';
import { syntheticFrames } from './video_fixtures';

let dir: string;
let clip: string;

/** Runs the bundled ffmpeg with `args` and resolves on success. */
async function ffmpeg(args: string[]): Promise<void> {
  const child = spawn(resolveFfmpeg(), ['-hide_banner', '-loglevel', 'error', '-y', ...args], {
    stdio: 'ignore',
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed`);
}

/**
 * Live or zombie ffmpeg children of this process, from /proc (Linux): `[pid, state]` pairs. Synchronous, so
 * it looks at the exact moment it is called, with no chance for the event loop to reap anything meanwhile.
 */
function ffmpegChildren(): [number, string][] {
  const out: [number, string][] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may contain spaces, so split after the last ')'.
      const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
      if (comm === 'ffmpeg' && Number(ppid) === process.pid) out.push([Number(entry), state!]);
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

async function collect(path: string, options = {}): Promise<number[]> {
  const got: number[] = [];
  for await (const { index } of decodeFrames(path, options)) got.push(index);
  return got;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qad-video-err-'));
  clip = join(dir, 'clip.mp4');
  await encodeVideo(syntheticFrames(24), clip, { crf: 23 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bad input files', () => {
  it('a missing file is named as not found', async () => {
    const path = join(dir, 'nope.mp4');
    await expect(probeVideo(path)).rejects.toThrow(`probeVideo: cannot read '${path}': file not found`);
    await expect(collect(path)).rejects.toThrow(`probeVideo: cannot read '${path}': file not found`);
  });

  it('a directory is not a regular file', async () => {
    await expect(probeVideo(dir)).rejects.toThrow(`probeVideo: cannot read '${dir}': not a regular file`);
  });

  it('a text file is not a readable video', async () => {
    const path = join(dir, 'notes.mp4');
    await writeFile(path, 'these are not the frames you are looking for\n'.repeat(20));
    await expect(probeVideo(path)).rejects.toThrow(`probeVideo: '${path}' is not a readable video`);
    await expect(collect(path)).rejects.toThrow(`'${path}' is not a readable video`);
  });

  it('an audio-only file has no video stream', async () => {
    const path = join(dir, 'tone.m4a');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.2', '-c:a', 'aac', path]);
    await expect(probeVideo(path)).rejects.toThrow(`probeVideo: '${path}' has no video stream`);
  });

  it('a truncated MP4 (index at the end, cut off) is an error naming the file', async () => {
    const bytes = await readFile(clip);
    const path = join(dir, 'cut.mp4');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(probeVideo(path)).rejects.toThrow(
      /probeVideo: '.*cut\.mp4' is not a readable video .*moov atom not found/,
    );
    await expect(collect(path)).rejects.toThrow(`'${path}' is not a readable video`);
  });

  it('a truncated MP4 with its index first (faststart) fails instead of giving fewer frames', async () => {
    const front = join(dir, 'front.mp4');
    await ffmpeg(['-i', clip, '-c', 'copy', '-movflags', '+faststart', front]);
    expect((await probeVideo(front)).frameCount).toBe(24);
    const bytes = await readFile(front);
    const path = join(dir, 'front_cut.mp4');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(probeVideo(path)).rejects.toThrow(`probeVideo: '${path}' is not a readable video`);
    // Even with a stale probe result, the decoder refuses rather than delivering a short clip.
    const info = await probeVideo(front);
    await expect(collect(path, { info })).rejects.toThrow(`decodeFrames: ffmpeg failed decoding '${path}'`);
  });

  it('an out-of-range frame index names the file and the frame count', async () => {
    await expect(collect(clip, { indices: [0, 24] })).rejects.toThrow(
      `decodeFrames: frame index 24 is out of range for '${clip}' (24 frames)`,
    );
    await expect(collect(clip, { indices: [1.5] })).rejects.toThrow('frame index 1.5 is out of range');
  });
});

describe('ffmpeg child processes', () => {
  it('breaking out of decodeFrames early kills and reaps ffmpeg (no zombie left)', async () => {
    // 256×256 rgb24 frames are 192 KiB, more than a pipe holds, so ffmpeg is still running at frame 0.
    const big = join(dir, 'big.mp4');
    await encodeVideo(syntheticFrames(12, 256, 256), big, { crf: 23, preset: 'ultrafast' });
    let during: [number, string][] = [];
    let seen = 0;
    for await (const { index } of decodeFrames(big)) {
      expect(index).toBe(0);
      seen++;
      during = ffmpegChildren();
      break;
    }
    expect(seen).toBe(1);
    expect(during).toHaveLength(1);
    expect(during[0]![1]).not.toBe('Z');
    expect(ffmpegChildren()).toEqual([]);
  });

  it('an error thrown by the frame source kills ffmpeg and removes the temporary file', async () => {
    const sub = join(dir, 'throwing');
    function* frames(): Generator<RgbImage> {
      yield* syntheticFrames(3);
      throw new Error('camera unplugged');
    }
    await expect(encodeVideo(frames(), join(sub, 'x.mp4'), { crf: 23 })).rejects.toThrow('camera unplugged');
    expect(await readdir(sub)).toEqual([]);
    expect(ffmpegChildren()).toEqual([]);
  });

  it('no ffmpeg is left behind after a completed decode', async () => {
    expect(await collect(clip, { count: 3 })).toEqual([0, 11, 23]);
    await sleep(0);
    expect(ffmpegChildren()).toEqual([]);
  });
});

describe('encodeVideo argument and frame checks', () => {
  const out = () => join(dir, 'bad', 'out.mp4');

  it('rejects an empty frame sequence and leaves nothing behind', async () => {
    await expect(encodeVideo([], out(), { crf: 23 })).rejects.toThrow(
      `encodeVideo: no frames to encode ('${out()}')`,
    );
    expect(await readdir(join(dir, 'bad'))).toEqual([]);
  });

  it('rejects frames of changing size, odd sizes for yuv420p, short buffers and bad options', async () => {
    const a = [...syntheticFrames(2, 64, 64)];
    const b = [...syntheticFrames(1, 32, 32)];
    await expect(encodeVideo([...a, ...b], out(), { crf: 23 })).rejects.toThrow(
      `encodeVideo: frame 2 is 32×32 but frame 0 was 64×64 ('${out()}')`,
    );
    const odd = [...syntheticFrames(1, 63, 64)];
    await expect(encodeVideo(odd, out(), { crf: 23 })).rejects.toThrow(
      'yuv420p needs even width and height, got 63×64',
    );
    const short = { data: new Uint8Array(10), width: 4, height: 4 };
    await expect(encodeVideo([short], out(), { crf: 23 })).rejects.toThrow(
      'encodeVideo: frame 0 has 10 bytes, expected 4×4×3 = 48',
    );
    await expect(encodeVideo(a, out(), { crf: 52 })).rejects.toThrow(
      'encodeVideo: crf must be a number in [0, 51], got 52',
    );
    await expect(encodeVideo(a, out(), { crf: 23, fps: 0 })).rejects.toThrow(
      'fps must be a positive number, got 0',
    );
    await expect(encodeVideo(a, out(), { crf: 23, preset: '-veryfast' })).rejects.toThrow(
      "encodeVideo: preset must be a libx264 preset name, got '-veryfast'",
    );
    expect(await readdir(join(dir, 'bad'))).toEqual([]);
  });

  it("reports ffmpeg's own error (an unknown preset) with the output path", async () => {
    await expect(encodeVideo(syntheticFrames(2), out(), { crf: 23, preset: 'sluggish' })).rejects.toThrow(
      new RegExp(`encodeVideo: ffmpeg failed writing '${out()}' \\(exit code 1: .*invalid preset 'sluggish'`),
    );
    expect(await readdir(join(dir, 'bad'))).toEqual([]);
  });
});

describe('resolveFfmpeg', () => {
  it('uses the @ffmpeg-installer binary by default, and it can encode H.264', async () => {
    const saved = process.env[FFMPEG_ENV];
    delete process.env[FFMPEG_ENV];
    try {
      const path = resolveFfmpeg();
      expect(path).toMatch(/@ffmpeg-installer[/\\].*ffmpeg(\.exe)?$/);
      expect((await stat(path)).isFile()).toBe(true);
      const child = spawn(path, ['-hide_banner', '-encoders'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let listing = '';
      child.stdout.on('data', (c: Buffer) => {
        listing += c.toString();
      });
      await new Promise((resolve) => child.on('close', resolve));
      expect(listing).toMatch(/^ V\S* libx264 /m);
    } finally {
      if (saved !== undefined) process.env[FFMPEG_ENV] = saved;
    }
  });

  it('prefers an explicit path, then QAD_FFMPEG, and rejects ones that are not executable', async () => {
    const copy = join(dir, 'my-ffmpeg');
    await copyFile(resolveFfmpeg(), copy);
    await chmod(copy, 0o755);
    const notExec = join(dir, 'plain-file');
    await writeFile(notExec, '');
    const saved = process.env[FFMPEG_ENV];
    try {
      process.env[FFMPEG_ENV] = copy;
      expect(resolveFfmpeg()).toBe(copy);
      expect(resolveFfmpeg(copy)).toBe(copy);
      process.env[FFMPEG_ENV] = notExec;
      expect(() => resolveFfmpeg()).toThrow(
        `resolveFfmpeg: QAD_FFMPEG='${notExec}' is not an executable file`,
      );
      expect(resolveFfmpeg(copy)).toBe(copy); // explicit wins over a broken environment
      expect(() => resolveFfmpeg(join(dir, 'missing'))).toThrow(
        `resolveFfmpeg: ffmpegPath '${join(dir, 'missing')}' is not an executable file`,
      );
      await expect(
        encodeVideo(syntheticFrames(1), join(dir, 'e.mp4'), { crf: 0, ffmpegPath: notExec }),
      ).rejects.toThrow('is not an executable file');
    } finally {
      if (saved === undefined) delete process.env[FFMPEG_ENV];
      else process.env[FFMPEG_ENV] = saved;
    }
  });
});
