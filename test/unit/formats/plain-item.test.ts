import { describe, expect, it } from 'vitest';
import { bareDoi } from '../../../src/core/formats/plain-item';

describe('bareDoi: the one DOI normaliser', () => {
  it.each([
    ['10.1000/XyZ', '10.1000/XyZ'],
    ['  https://doi.org/10.1000/XyZ ', '10.1000/XyZ'],
    ['http://dx.doi.org/10.1063/1.4880209', '10.1063/1.4880209'],
    ['https://www.doi.org/10.1/X', '10.1/X'],
    ['http://doi.acm.org/10.1145/1137627.1137630', '10.1145/1137627.1137630'],
    ['doi: 10.1/X', '10.1/X'],
    ['DOI:10.1/X', '10.1/X'],
    ['info:doi/10.1/X', '10.1/X'],
    ['https://doi.org/10.1002/%28SICI%291097-0258', '10.1002/(SICI)1097-0258'],
    ['10.1002/100%-sure', '10.1002/100%-sure'],
  ])('%j → %s', (written, bare) => {
    expect(bareDoi(written)).toBe(bare);
  });

  it('keeps undefined undefined', () => {
    expect(bareDoi(undefined)).toBeUndefined();
  });
});
