package com.securebase.gateway.domain;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant token buckets sized by tier (bucket4j). In-memory per replica: with N replicas a
 * tenant's effective limit is up to N times the tier's (documented in docs/operations.md).
 */
@ApplicationScoped
public class RateLimits {
  private record Key(UUID tenantId, int perHour) {}

  private final ConcurrentHashMap<Key, Bucket> buckets = new ConcurrentHashMap<>();

  /** The outcome of one request against the tenant's bucket, with the RateLimit-* header values. */
  public record Decision(
      boolean allowed, int limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

  public Decision consume(TenantPolicy policy) {
    int perHour = policy.requestsPerHour();
    Bucket bucket =
        buckets.computeIfAbsent(
            new Key(policy.tenantId(), perHour),
            k ->
                Bucket.builder()
                    .addLimit(
                        Bandwidth.builder()
                            .capacity(perHour)
                            .refillGreedy(perHour, Duration.ofHours(1))
                            .build())
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    long secondsPerToken = Math.max(1, 3600L / perHour);
    long reset = (perHour - probe.getRemainingTokens()) * secondsPerToken;
    long retryAfter =
        probe.isConsumed()
            ? 0
            : Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
    return new Decision(probe.isConsumed(), perHour, probe.getRemainingTokens(), reset, retryAfter);
  }
}
