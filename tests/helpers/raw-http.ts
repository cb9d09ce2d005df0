import { connect } from 'node:net';

export interface RawReply {
  /** The status of the first response line, or null when the server closed without one. */
  status: number | null;
  /** Everything the server sent (latin1), for diagnostics. */
  text: string;
}

/**
 * Sends exact bytes over a fresh TCP connection (what curl --path-as-is or a hostile client
 * sends, with none of an HTTP client's normalising), half-closes, and collects whatever comes
 * back until the server closes. Half-closing means a truncated request ends at once: the server
 * sees end-of-stream mid-request instead of waiting for its header timeout.
 */
export function rawRequest(port: number, bytes: string | Buffer): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => {
      parts.push(d);
      // An accepted upgrade keeps the socket open: once the 101 is in, close our side fully.
      if (Buffer.concat(parts).toString('latin1').startsWith('HTTP/1.1 101')) socket.destroy();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server that resets a connection it refused is fine; one that is not there is not.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      const text = Buffer.concat(parts).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text });
    });
    socket.on('connect', () => {
      socket.write(bytes);
      socket.end();
    });
  });
}

/** The request curl sends for `curl --path-as-is -H Origin… -H 'Connection: Upgrade' -H 'Upgrade: websocket' URL`. */
export function curlUpgrade(port: number, path: string): string {
  return [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'User-Agent: curl/8.5.0',
    'Accept: */*',
    `Origin: http://127.0.0.1:${port}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    '',
    '',
  ].join('\r\n');
}
