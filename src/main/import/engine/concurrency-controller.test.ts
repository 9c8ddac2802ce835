import { describe, expect, it } from 'vitest';
import { createFakeTime } from '../../../../test/support/fake-time';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '@shared/send-limits';
import {
  createConcurrencyController,
  DEFAULT_TARGET_SHAPE,
  latencyAbove,
  PRIOR_LATENCY_MS,
  smoothed,
  targetFor,
} from './concurrency-controller';
import { createWorkerGate } from './worker-gate';

describe('targetFor (Little’s law plus headroom)', () => {
  it('is small at 100 ms, larger at 400 ms and 1 s, and never above the maximum', () => {
    expect(targetFor(40, 100)).toBe(DEFAULT_CONCURRENCY + 3); // ceil(40 × 0.1 × 1.25) + 2 = 7
    expect(targetFor(40, 400)).toBe(22); // ceil(20) + 2
    expect(targetFor(40, 1000)).toBe(52); // ceil(50) + 2
    expect(targetFor(50, 1000)).toBe(MAX_CONCURRENCY);
    expect(targetFor(50, 15_000)).toBe(MAX_CONCURRENCY);
    expect(targetFor(1, 10)).toBe(DEFAULT_CONCURRENCY);
    // Always more than rate × latency: the cap binds, not the parallelism.
    for (const latency of [50, 130, 400, 700, 1000])
      expect(targetFor(40, latency)).toBeGreaterThan((40 * latency) / 1000);
  });

  it('latencyAbove is its inverse: just past it the target exceeds the rows in use', () => {
    for (const inUse of [4, 10, 22, 40, 63]) {
      const latency = latencyAbove(inUse, 40) as number;
      expect(targetFor(40, latency)).toBeLessThanOrEqual(Math.max(inUse, DEFAULT_TARGET_SHAPE.min));
      expect(targetFor(40, latency + 0.5)).toBeGreaterThan(inUse);
    }
    expect(latencyAbove(MAX_CONCURRENCY, 40)).toBeNull();
    expect(latencyAbove(DEFAULT_CONCURRENCY - 1, 40)).toBe(0);
  });

  it('smooths round trips with an EWMA seeded by the first', () => {
    expect(smoothed(null, 400)).toBe(400);
    expect(smoothed(400, 900)).toBe(500);
  });
});

describe('createConcurrencyController (fake clock)', () => {
  /** `count` requests each answered after `latencyMs`, one every `gapMs`. */
  async function answers(
    time: ReturnType<typeof createFakeTime>,
    controller: ReturnType<typeof createConcurrencyController>,
    latencyMs: number,
    count = 30,
    gapMs = 25,
  ): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      const done = controller.sendStarted();
      time.scheduler.setTimeout(done, latencyMs);
      await time.advance(gapMs);
    }
    await time.advance(latencyMs);
  }

  it('follows the latency it observes: 100 ms → small, 400 ms / 1 s → larger, capped at the maximum', async () => {
    const time = createFakeTime({ auto: false });
    const controller = createConcurrencyController({ rate: () => 40, now: () => time.now() });
    expect(controller.latency()).toBe(PRIOR_LATENCY_MS);
    await answers(time, controller, 100);
    expect(controller.latency()).toBeCloseTo(100, 5);
    expect(controller.target()).toBe(7);
    await answers(time, controller, 400);
    expect(controller.latency()).toBeGreaterThan(395);
    expect(controller.target()).toBe(22);
    await answers(time, controller, 1000);
    expect(controller.target()).toBe(52);
    const faster = createConcurrencyController({ rate: () => 50, now: () => time.now() });
    await answers(time, faster, 1000);
    expect(faster.target()).toBe(MAX_CONCURRENCY);
  });

  it('a request unanswered for longer than the average raises the estimate before its answer', async () => {
    const time = createFakeTime({ auto: false });
    const controller = createConcurrencyController({ rate: () => 40, now: () => time.now() });
    await answers(time, controller, 100);
    const done = controller.sendStarted();
    await time.advance(800);
    expect(controller.latency()).toBe(800);
    expect(controller.target()).toBe(42);
    done();
    // One slow answer moves the average a fifth of the way.
    expect(controller.latency()).toBeCloseTo(100 + 0.2 * 700, 5);
  });

  it('riseAt says when ageing alone lifts the target past the rows in use', async () => {
    const time = createFakeTime({ auto: false });
    const controller = createConcurrencyController({ rate: () => 40, now: () => time.now() });
    expect(controller.riseAt(10)).toBeNull(); // nothing in flight: nothing ages
    controller.sendStarted();
    const at = controller.riseAt(20) as number;
    expect(controller.target()).toBeLessThanOrEqual(20);
    await time.advance(at - time.now());
    expect(controller.target()).toBeGreaterThan(20);
    expect(controller.riseAt(MAX_CONCURRENCY)).toBeNull();
  });

  it('falls with the limiter’s rate (a throttle halves the rate, and the parallelism with it)', () => {
    const time = createFakeTime({ auto: false });
    let rate = 40;
    const controller = createConcurrencyController({ rate: () => rate, now: () => time.now() });
    const before = controller.target();
    rate = 20;
    expect(controller.target()).toBeLessThan(before);
  });
});

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('createWorkerGate', () => {
  it('lets in up to the target, then one per permit returned; waiters enter as the oldest request ages', async () => {
    const time = createFakeTime({ auto: false });
    const controller = createConcurrencyController({ rate: () => 40, now: () => time.now() });
    const gate = createWorkerGate({ controller, now: () => time.now(), scheduler: time.scheduler });
    const first = controller.target();
    let entered = 0;
    for (let i = 0; i < first; i += 1) expect(gate.tryEnter()).toBe(true);
    expect(gate.tryEnter()).toBe(false);
    const waiters = Array.from({ length: 10 }, () => gate.enter().then(() => (entered += 1)));
    gate.leave();
    await settle();
    expect(entered).toBe(1);
    // A request in flight with no answer: as it ages, the target rises and waiters enter.
    let answer: () => void = () => undefined;
    const send = gate.timed(() => new Promise<void>((resolve) => (answer = resolve)));
    const sent = send();
    await time.advance(200);
    await settle();
    expect(entered).toBe(1);
    await time.advance(800);
    await Promise.all(waiters);
    expect(gate.inUse()).toBe(first + 10 - 1);
    expect(gate.inUse()).toBeLessThanOrEqual(controller.target());
    answer();
    await sent;
    gate.close();
    expect(time.pending()).toBe(0);
  });
});
