// A TCP proxy in a process of its own (the service's synchronous PostgreSQL connection blocks the
// test's event loop while it waits, so a proxy in the test process could never answer it), told
// over IPC to cut every connection and refuse new ones, or to let them through again.
//   fork(this file, [targetHost, targetPort]) -> sends { port } once listening; takes 'cut' | 'restore'.
import { fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export interface CuttableProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the proxy process in front of host:port. */
export async function startCuttableProxy(host: string, port: number): Promise<CuttableProxy> {
  const child = fork(fileURLToPath(import.meta.url), [host, String(port)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`the proxy process exited (${code})`)));
    });
  const { port: listening } = (await next()) as { port: number };
  const order = async (what: 'cut' | 'restore') => {
    const done = next();
    child.send(what);
    await done;
  };
  return {
    port: listening,
    cut: () => order('cut'),
    restore: () => order('restore'),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

function runProxy(host: string, port: number): void {
  const sockets = new Set<net.Socket>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as net.AddressInfo).port }));
  process.on('message', (what) => {
    if (what === 'cut') {
      down = true;
      for (const s of sockets) s.destroy();
    } else down = false;
    process.send?.({ done: what });
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runProxy(process.argv[2] ?? '127.0.0.1', Number(process.argv[3] ?? 5432));
