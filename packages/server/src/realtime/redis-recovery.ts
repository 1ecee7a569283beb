import type { Redis } from 'ioredis';

export type WatchedAdapter<T> = {
  adapter: T;
  /** `fn` runs each time every watched connection is ready again after one was lost. */
  onRecovered(fn: () => void): void;
};

/**
 * Makes socket.io's streams adapter with `make` and watches the connections to Redis it uses:
 * `client`, which publishes, and the clients the adapter duplicates from it as it is made (it
 * reads the stream and subscribes on its own duplicates; the shared client's other duplicates
 * are not the adapter's, and are left alone).
 *
 * While one of them is away, broadcasts are lost with no error that anyone sees: the adapter
 * gives up a publish that Redis did not take (and delivers it on this instance only), and a
 * restarted Redis comes back without the part of the stream other instances had not yet read.
 * A socket whose own connection never dropped would never `sync` for what it missed, so the
 * caller asks them to once Redis is back (Chatwoot's #14703 is this bug). Waiting for every
 * connection, not the first, makes one blink one request per socket, not one per connection.
 */
export function watchAdapterRedis<T>(client: Redis, make: (client: Redis) => T): WatchedAdapter<T> {
  const watched = new Set<Redis>();
  const listeners: Array<() => void> = [];
  let interrupted = false;
  const watch = (connection: Redis) => {
    watched.add(connection);
    // 'close' comes with every lost connection and every failed attempt to reconnect.
    connection.on('close', () => {
      interrupted = true;
    });
    // Closed for good (the adapter or the server shutting down): nothing to wait for.
    connection.on('end', () => watched.delete(connection));
    connection.on('ready', () => {
      if (!interrupted || [...watched].some((w) => w.status !== 'ready')) return;
      interrupted = false;
      for (const fn of listeners) fn();
    });
  };
  watch(client);
  // The adapter duplicates the client while it is made (version 0.3, one stream); the method
  // is ioredis's own again afterwards (this one shadows it on the instance for that time).
  const duplicate = client.duplicate.bind(client);
  client.duplicate = (override) => {
    const copy = duplicate(override);
    watch(copy);
    return copy;
  };
  try {
    return { adapter: make(client), onRecovered: (fn) => void listeners.push(fn) };
  } finally {
    Reflect.deleteProperty(client, 'duplicate');
  }
}
