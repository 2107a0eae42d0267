/**
 * TCP adapters for the engine's sans-I/O endpoints (node only): bytes from the socket go to receiveData(), events are
 * handed to the caller (who may issue commands), and whatever the endpoint has to send is written back - after
 * every delivery, so replies go out at once. The socket ends once the endpoint has closed (DISCONNECT sent or
 * received). Socket back-pressure pauses reading, which keeps memory bounded on bulk transfers.
 */
import { connect, type Socket } from 'node:net';
import type { Endpoint } from '../engine/endpoint/endpoint.ts';
import type { EndpointEvent } from '../engine/endpoint/events.ts';

export interface Attached {
  /** Writes what the endpoint has to send (call after issuing commands outside an event handler). */
  flush(): void;
  /** Resolves when the socket has closed. */
  closed: Promise<void>;
}

/** Runs `endpoint` over `socket`; `onEvent` sees every event and may call the endpoint's commands. */
export function attach(endpoint: Endpoint, socket: Socket, onEvent: (event: EndpointEvent) => void): Attached {
  let ended = false;
  const flush = () => {
    const pieces = endpoint.takeOutput();
    if (pieces.length && !socket.destroyed) {
      // One writev for the packets of this turn, without first joining them into one more copy.
      socket.cork();
      let room = true;
      for (const bytes of pieces) room = socket.write(bytes);
      socket.uncork();
      if (!room) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    }
    if (endpoint.closed && !ended) {
      ended = true;
      socket.end();
    }
  };
  const drain = () => {
    for (let e = endpoint.nextEvent(); e; e = endpoint.nextEvent()) {
      onEvent(e);
      flush();
    }
    flush();
  };
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    endpoint.receiveData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    drain();
  });
  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
    socket.on('error', () => {});
  });
  endpoint.start();
  drain();
  return { flush: drain, closed };
}

/** Opens a TCP connection; rejects with a readable message when it cannot. */
export function connectTcp(host: string, port: number, timeoutMs = 10_000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`could not connect to ${host}:${port} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not connect to ${host}:${port}: ${error.message}`));
    });
  });
}
