import { mapWithConcurrency, TimeoutError, withTimeout } from './bounded-parallel';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('mapWithConcurrency', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(n * 3);
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });

  it('handles an empty list', async () => {
    await expect(mapWithConcurrency([], 10, async () => 1)).resolves.toEqual([]);
  });
});

describe('withTimeout', () => {
  it('passes a fast result through and times out a slow one', async () => {
    await expect(withTimeout(Promise.resolve(7), 50)).resolves.toBe(7);
    await expect(withTimeout(sleep(200), 20)).rejects.toBeInstanceOf(TimeoutError);
  });

  it('does not leave a late rejection unhandled', async () => {
    const late = sleep(30).then(() => Promise.reject(new Error('late')));
    await expect(withTimeout(late, 5)).rejects.toBeInstanceOf(TimeoutError);
    await sleep(50);
  });
});
