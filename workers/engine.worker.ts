/** Worker entry: the engine host, exposed to the page through comlink. */
import * as Comlink from 'comlink';
import { EngineHost } from '../src/engine/host.ts';

Comlink.expose(new EngineHost());
