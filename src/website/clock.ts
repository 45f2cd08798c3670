import { interval, map, shareReplay, startWith, type Observable } from 'rxjs';

/**
 * "Now" as a stream: what depends on time alone (connected now, a request that expired) is
 * derived from it, so a row turns "last seen" without any event from the server.
 */
export const now$: Observable<number> = interval(5_000).pipe(
  startWith(0),
  map(() => Date.now()),
  shareReplay({ bufferSize: 1, refCount: true }),
);
