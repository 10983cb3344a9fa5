/**
 * A worker for opfsRuns.gpu.test.ts: writes a trajectory through a ZarrSink into a fresh OPFS run
 * directory, as the engine worker does during a run, and reports what it wrote.
 */
import { makeFrame } from '../../io/zarr/frames.testing.ts';
import { openRunStore } from './opfsRuns.ts';
import { ZarrSink } from './zarr.ts';

/** What the test asks the worker to write. */
export interface OpfsWriterRequest {
  runId: string;
  frames: number;
  sizes: number[];
}

/** What the worker answers. */
export type OpfsWriterReply =
  | { ok: true; frames: number; bufferedBytes: number }
  | { ok: false; message: string };

self.onmessage = async (e: MessageEvent<OpfsWriterRequest>) => {
  let reply: OpfsWriterReply;
  try {
    const store = await openRunStore(e.data.runId);
    if (!store) throw new Error('no Origin Private File System in this worker');
    const sink = await ZarrSink.create(store, {
      fields: ['velocities', 'forces', 'energy', 'status'],
      atomChunkRows: 32,
      systemChunkRows: 8,
      flushEveryFrames: 5,
    });
    for (let f = 0; f < e.data.frames; f++) {
      const { stress: _s, ...frame } = makeFrame(f, e.data.sizes, 4);
      await sink.write(frame);
    }
    await sink.flush();
    reply = { ok: true, frames: sink.length, bufferedBytes: sink.bufferedBytes };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
