import { describe, expect, it } from 'vitest';
import { CAUGHT_UP_LAG, catchingUpReason } from './follower.ts';

describe('follower readiness', () => {
  it('is ready at the validators’ head or a block or two behind it', () => {
    expect(catchingUpReason({ height: 40, bestPeerHeight: 40 })).toBeNull();
    expect(catchingUpReason({ height: 40, bestPeerHeight: 40 + CAUGHT_UP_LAG })).toBeNull();
  });

  it('is not ready while it trails the validators by more, and says how far', () => {
    expect(catchingUpReason({ height: 12, bestPeerHeight: 40 })).toBe(
      'catching up with the devnet: at height 12 of 40',
    );
  });
});
