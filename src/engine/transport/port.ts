/**
 * The transport behind worker pipelines (DESIGN §5): the few things the engine needs from a message
 * port, whatever carries it — a browser `MessagePort` or Web Worker scope, or a Node `worker_threads`
 * `MessagePort` or `parentPort`. Messages are structured-cloned; typed arrays listed in `transfer`
 * move without a copy.
 */

/** A raw port as it crosses postMessage (a browser or Node MessagePort): opaque to the engine. */
export type TransferablePort = object;

/** One end of a message channel. */
export interface Port {
  /** Sends a message; the ArrayBuffers (and ports) in `transfer` move to the other side. */
  post(message: unknown, transfer?: readonly object[]): void;
  /** Calls `handler` with every message's data, in order. */
  onMessage(handler: (data: unknown) => void): void;
  /** Closes this end (no more messages either way). */
  close(): void;
}

interface NodePortLike {
  on(event: 'message', listener: (data: unknown) => void): unknown;
  postMessage(message: unknown, transfer?: readonly object[]): void;
  close?(): void;
}

interface WebPortLike {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown, transfer?: readonly object[]): void;
  start?(): void;
  close?(): void;
}

function isNodePort(raw: object): raw is NodePortLike {
  return typeof (raw as Partial<NodePortLike>).on === 'function';
}

/** Wraps a browser or Node MessagePort (or a worker scope / parentPort) as a {@link Port}. */
export function wrapPort(raw: TransferablePort): Port {
  if (isNodePort(raw)) {
    return {
      post: (message, transfer) => raw.postMessage(message, transfer ?? []),
      onMessage: (handler) => {
        raw.on('message', handler);
      },
      close: () => raw.close?.(),
    };
  }
  const web = raw as WebPortLike;
  return {
    post: (message, transfer) => web.postMessage(message, transfer ?? []),
    onMessage: (handler) => {
      web.addEventListener('message', (event) => handler(event.data));
      web.start?.();
    },
    close: () => web.close?.(),
  };
}

/**
 * Resolves after the event loop had a turn (a macrotask), so that messages and timers are handled
 * between chunks of a long computation: `setImmediate` in Node, a MessageChannel message in browsers
 * (setTimeout would be clamped to 4 ms).
 */
export function macrotask(): Promise<void> {
  const g = globalThis as { setImmediate?: (callback: () => void) => unknown };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return new Promise((resolve) => setImmediate(resolve));
  }
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(0);
  });
}
