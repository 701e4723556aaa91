import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on a random loopback port for medium tests of outgoing mail: `received` holds
 * the parsed messages, `raw` the messages as they came over the wire; `state.reject` makes it answer
 * RCPT TO with that code.
 */
export async function startSmtpPeer() {
  const received: ParsedMail[] = [];
  const raw: string[] = [];
  const state = { reject: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (state.reject) {
        const err = new Error(`<${address.address}>: Mailbox vorübergehend nicht verfügbar`) as Error & { responseCode: number };
        err.responseCode = state.reject;
        return cb(err);
      }
      cb();
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', cb);
      stream.on('end', () => {
        const message = Buffer.concat(chunks);
        simpleParser(message)
          .then((m) => {
            raw.push(message.toString('utf8'));
            received.push(m);
            cb();
          })
          .catch(cb);
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return {
    received,
    raw,
    state,
    url: `smtp://127.0.0.1:${port}`,
    /** Forgets what was received and accepts again. */
    reset: () => {
      received.length = 0;
      raw.length = 0;
      state.reject = 0;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The unfolded value of a header in a raw message (first occurrence), null when absent. */
export function rawHeader(message: string, name: string): string | null {
  const head = message.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head);
  return m ? m[1]!.trim() : null;
}
