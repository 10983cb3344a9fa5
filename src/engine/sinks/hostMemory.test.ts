import { describe, expect, it } from 'vitest';
import { makeFrame } from '../../io/zarr/frames.testing.ts';
import { HostMemorySink } from './hostMemory.ts';

const frame = (f: number) => makeFrame(f, [3, 2]);

describe('HostMemorySink', () => {
  it('keeps the newest `capacity` frames in order and counts the dropped ones', () => {
    const sink = new HostMemorySink(3);
    expect(sink.last()).toBeUndefined();
    for (let f = 1; f <= 5; f++) sink.write(frame(f));
    expect(sink.read().map((f) => f.stageStep)).toEqual([3, 4, 5]);
    expect(sink.last()?.stageStep).toBe(5);
    expect(sink.droppedFrames).toBe(2);
    expect(sink.length).toBe(3);
    expect(sink.kind).toBe('host');
  });

  it('stays bounded over many frames (memory is capacity frames)', () => {
    const sink = new HostMemorySink(4);
    const written = Array.from({ length: 1000 }, (_, f) => frame(f));
    for (const f of written) sink.write(f);
    expect(sink.length).toBe(4);
    expect(sink.droppedFrames).toBe(996);
    // The frames held are the very objects written last, oldest first.
    expect(sink.read()).toEqual(written.slice(-4));
    expect(sink.read()[3]).toBe(written[999]);
    sink.clear();
    expect(sink.length).toBe(0);
    expect(sink.last()).toBeUndefined();
    sink.write(written[0]!);
    expect(sink.read()).toEqual([written[0]]);
  });

  it('rejects a capacity below one frame', () => {
    expect(() => new HostMemorySink(0)).toThrow(/capacity/);
    expect(() => new HostMemorySink(1.5)).toThrow(/capacity/);
  });
});
