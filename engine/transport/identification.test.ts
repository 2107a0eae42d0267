/** RFC 4253 §4.2 protocol version exchange. */
import { describe, expect, it } from 'vitest';
import { parseIdentification, IdentificationError } from './identification.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('RFC 4253 §4.2 identification', () => {
  it('splits an OpenSSH line and finds where packets begin', () => {
    const id = parseIdentification(bytes('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n\x00\x00\x04'))!;
    expect(id).toMatchObject({
      line: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10',
      protoVersion: '2.0',
      softwareVersion: 'OpenSSH_9.2p1',
      comments: 'Debian-2+deb12u10',
      lineStart: 0,
      end: 41,
    });
  });
  it('keeps the lines a server sends before its identification', () => {
    const id = parseIdentification(bytes('Welcome\r\nno ssh here\nSSH-1.99-Foo\n'))!;
    expect(id.preamble).toEqual(['Welcome', 'no ssh here']);
    expect(id.protoVersion).toBe('1.99');
    expect(id.lineStart).toBe(21);
  });
  it('waits for more bytes', () => {
    expect(parseIdentification(bytes('SSH-2.0-Open'))).toBeNull();
    expect(parseIdentification(bytes('SS'))).toBeNull();
  });
  it('refuses an identification line over 255 bytes', () => {
    expect(() => parseIdentification(bytes('SSH-2.0-' + 'x'.repeat(300)))).toThrow(IdentificationError);
    expect(() => parseIdentification(bytes('SSH-2.0-' + 'x'.repeat(250) + '\r\n'))).toThrow(/over the 255/);
  });
  it('gives up on a stream that never identifies itself', () => {
    expect(() => parseIdentification(bytes('GET / HTTP/1.1\r\n'.repeat(5000)))).toThrow(/no SSH identification line/);
  });
});
