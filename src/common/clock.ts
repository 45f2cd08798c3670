import { injectable } from 'inversify';

/** Time as the product sees it; bound once, replaced in tests (sinon fake timers drive SystemClock too). */
export interface Clock {
  now(): number;
}
export const Clock = Symbol('Clock');

@injectable()
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}
