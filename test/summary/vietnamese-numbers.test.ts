import { describe, expect, it } from 'vitest';
import { formatVietnameseNumber, formatVietnamesePercent } from '../../domain/summary/vietnamese-numbers';

describe('Vietnamese number formatting', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [1234, '1.234'],
    [1234567.891, '1.234.567,89'],
    [1239.5, '1.239,5'],
    [-12000, '-12.000'],
    [0.005, '0,01'],
  ])('%d → %s', (value, text) => {
    expect(formatVietnameseNumber(value)).toBe(text);
  });

  it('writes rates with one decimal and a comma', () => {
    expect(formatVietnamesePercent(312 / 408)).toBe('76,5%');
    expect(formatVietnamesePercent(1)).toBe('100%');
    expect(formatVietnamesePercent(0)).toBe('0%');
  });
});
