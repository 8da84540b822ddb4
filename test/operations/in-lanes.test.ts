/** Calls in lanes: the order of results, how many run at once, and what a failure stops. */
import { describe, expect, it } from 'vitest';
import { inLanes } from '../../operations/in-lanes';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('inLanes', () => {
  it('keeps at most the given number of calls in flight, starting the next as soon as one returns', async () => {
    let running = 0;
    let most = 0;
    const finished: number[] = [];
    // Item 0 is slow: with batches, items 4–7 would wait for it; with lanes they do not.
    const items = [200, 1, 1, 1, 1, 1, 1, 1].map((ms, index) => ({ ms, index }));
    const results = await inLanes(items, 4, async ({ ms, index }) => {
      running += 1;
      most = Math.max(most, running);
      await tick(ms);
      running -= 1;
      finished.push(index);
      return ms * 2;
    });
    expect(results).toEqual([400, 2, 2, 2, 2, 2, 2, 2]);
    expect(most).toBe(4);
    expect(finished.at(-1)).toBe(0);
  });

  it('fails with the first failure and starts nothing after it', async () => {
    const seen: number[] = [];
    await expect(
      inLanes([1, 2, 3, 4, 5, 6], 2, async (n) => {
        seen.push(n);
        await tick(1);
        if (n === 2) throw new Error(`hỏng ${n}`);
        return n;
      }),
    ).rejects.toThrow('hỏng 2');
    expect(seen.length).toBeLessThan(6);
  });

  it('returns nothing for no items', async () => {
    expect(await inLanes([], 4, async () => 1)).toEqual([]);
  });
});
