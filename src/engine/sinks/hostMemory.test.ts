import { describe, expect, it } from 'vitest';
import type { Frame } from '../api.ts';
import { HostMemorySink } from './hostMemory.ts';

const frame = (step: number): Frame => ({
  stage: 0,
  stageStep: step,
  step,
  time: step,
  positions: new Float32Array(3),
});

describe('HostMemorySink', () => {
  it('keeps the newest `capacity` frames in order and counts the dropped ones', () => {
    const sink = new HostMemorySink(3);
    for (let s = 1; s <= 5; s++) sink.write(frame(s));
    expect(sink.read().map((f) => f.step)).toEqual([3, 4, 5]);
    expect(sink.last()?.step).toBe(5);
    expect(sink.droppedFrames).toBe(2);
    expect(sink.length).toBe(3);
  });

  it('rejects a capacity below one frame', () => {
    expect(() => new HostMemorySink(0)).toThrow(/capacity/);
  });
});
