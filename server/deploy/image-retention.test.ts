import { describe, expect, it } from 'vitest';
import { imagesToPrune } from './image-retention';

const image = (deploymentId: string, minute: number) => ({ deploymentId, createdAt: new Date(2026, 0, 1, 0, minute) });

describe('imagesToPrune', () => {
  const images = [image('d1', 1), image('d3', 3), image('d2', 2), image('d4', 4)];

  it('keeps the newest N whatever the input order', () => {
    expect(imagesToPrune(images, 2, new Set()).map((item) => item.deploymentId)).toEqual(['d2', 'd1']);
  });

  it('never prunes an image in use or protected, even past the limit', () => {
    expect(imagesToPrune(images, 1, new Set(['d1', 'd3'])).map((item) => item.deploymentId)).toEqual(['d2']);
  });

  it('keep 0 prunes everything not spared; fewer images than N prunes nothing', () => {
    expect(imagesToPrune(images, 0, new Set(['d4'])).map((item) => item.deploymentId)).toEqual(['d3', 'd2', 'd1']);
    expect(imagesToPrune(images, 10, new Set())).toEqual([]);
  });
});
