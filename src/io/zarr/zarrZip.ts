/** `.zarr.zip` export and import of trajectories. */
import type { ZarrStore } from './store.ts';
import { readTrajectory, type Trajectory } from './trajectoryReader.ts';
import { ZipStore } from './zipStore.ts';
import { zarrZipStream } from './zipWriter.ts';

/** The trajectory in `store` as a `.zarr.zip` Blob (for a download link). */
export async function exportZarrZip(store: ZarrStore): Promise<Blob> {
  return new Response(zarrZipStream(store)).blob();
}

/** Reads a `.zarr.zip` trajectory (a File the user picked, or any Blob) into frames. */
export async function importZarrZip(blob: Blob): Promise<Trajectory> {
  return readTrajectory(await ZipStore.open(blob));
}
