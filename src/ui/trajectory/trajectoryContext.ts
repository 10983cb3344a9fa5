/** The trajectory view of the page, shared by the viewer, the scrubber and the trajectory panel. */
import { createContext, useContext } from 'react';
import { useStore } from '../hooks/useStore.ts';
import { createStore } from '../state/createStore.ts';
import {
  initialTrajectoryViewState,
  type TrajectoryView,
  type TrajectoryViewState,
} from './trajectoryView.ts';

export const TrajectoryContext = createContext<TrajectoryView | null>(null);

/** The page's trajectory view, or null outside a provider (the viewer then shows live frames only). */
export function useTrajectoryView(): TrajectoryView | null {
  return useContext(TrajectoryContext);
}

const idle = createStore<TrajectoryViewState>(initialTrajectoryViewState);

/** A selected part of the trajectory view's state (the initial state outside a provider). */
export function useTrajectoryState<U>(select: (state: TrajectoryViewState) => U): U {
  return useStore(useTrajectoryView()?.store ?? idle, select);
}
