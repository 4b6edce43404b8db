package com.securebase.webhooks.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a failed delivery is tried again. {@code delays.get(0)} is the first attempt (immediate by
 * default); each later entry is the wait before the next retry, spread by ±{@code jitter} so that
 * receivers recovering from an outage are not hit by every retry at the same instant. A {@code
 * Retry-After} the receiver sent lengthens the wait (never shortens it), up to {@link
 * #MAX_RETRY_AFTER}.
 */
public record RetrySchedule(List<Duration> delays, double jitter) {
  /** The default: immediate, then 5 s, 5 min, 30 min, 2 h, 5 h (5 retries, 6 attempts). */
  public static final List<Duration> DEFAULT_DELAYS =
      List.of(
          Duration.ZERO,
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          Duration.ofMinutes(30),
          Duration.ofHours(2),
          Duration.ofHours(5));

  public static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

  public RetrySchedule {
    if (delays.isEmpty()) {
      throw new IllegalArgumentException("A retry schedule needs at least the first attempt");
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1)");
    }
    delays = List.copyOf(delays);
  }

  public int maxAttempts() {
    return delays.size();
  }

  /**
   * @param attemptsMade attempts made so far, the failed one included
   * @param retryAfter what the receiver asked for, if anything
   * @param random a uniform number in [0, 1) for the jitter
   * @return when to try again, or empty when the attempts are used up (dead letter)
   */
  public Optional<Instant> next(
      int attemptsMade, Instant failedAt, Duration retryAfter, double random) {
    if (attemptsMade >= delays.size()) {
      return Optional.empty();
    }
    Duration planned = delays.get(attemptsMade);
    long millis = Math.round(planned.toMillis() * (1 + jitter * (2 * random - 1)));
    Duration wait = Duration.ofMillis(millis);
    if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
      wait = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    }
    return Optional.of(failedAt.plus(wait));
  }
}
