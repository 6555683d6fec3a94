import { SMTPServer } from 'smtp-server';
import { freePort } from '../scripts/lib/wait';

/** A local relay that accepts every message and keeps nothing but a count (the benchmark's mail catcher). */
export async function startSmtpSink(): Promise<{ url: string; received(): number; stop(): Promise<void> }> {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        count += 1;
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${port}`, received: () => count, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
