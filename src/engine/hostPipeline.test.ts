import { describe, expect, it } from 'vitest';
import type { EngineEvent } from './api.ts';
import { followFurthestWorker } from './hostPipeline.ts';

const frame = (rank: number, step: number): EngineEvent => ({
  type: 'frame',
  frame: { stage: rank, stageStep: step, step, time: 0, positions: new Float32Array(3), rank },
});

describe('followFurthestWorker', () => {
  it('passes the frames of the furthest worker that sent any, and every other event', () => {
    const seen: EngineEvent[] = [];
    const listener = followFurthestWorker((e) => seen.push(e));
    listener(frame(0, 1));
    listener(frame(1, 2));
    listener(frame(0, 3)); // upstream of the followed worker: dropped
    listener({ type: 'delivered', systems: [1], step: 4 });
    listener(frame(2, 5));
    listener(frame(1, 6)); // dropped
    listener(frame(2, 7));
    expect(seen.map((e) => (e.type === 'frame' ? `frame ${e.frame.rank}@${e.frame.step}` : e.type))).toEqual([
      'frame 0@1',
      'frame 1@2',
      'delivered',
      'frame 2@5',
      'frame 2@7',
    ]);
  });
});
