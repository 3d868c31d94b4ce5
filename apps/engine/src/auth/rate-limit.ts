// Token-bucket rate limits per key (account, IP). In memory: each engine instance limits what it
// receives, which is what protects it; limits are per instance when several run.
export interface BucketSpec {
  /** Tokens added per second. */
  ratePerSec: number;
  /** Largest burst. */
  burst: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly spec: BucketSpec,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token for `key`; false when the bucket is empty (the caller rejects). */
  take(key: string): boolean {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size > 200_000) this.prune(now);
      bucket = { tokens: this.spec.burst, updatedMs: now };
      this.buckets.set(key, bucket);
    } else {
      const refill = ((now - bucket.updatedMs) / 1000) * this.spec.ratePerSec;
      bucket.tokens = Math.min(this.spec.burst, bucket.tokens + refill);
      bucket.updatedMs = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Seconds until `key` has a token again (for Retry-After). */
  retryAfterSec(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket || bucket.tokens >= 1) return 0;
    return Math.ceil((1 - bucket.tokens) / this.spec.ratePerSec);
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const full = bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.spec.ratePerSec;
      if (full >= this.spec.burst) this.buckets.delete(key);
    }
  }
}
