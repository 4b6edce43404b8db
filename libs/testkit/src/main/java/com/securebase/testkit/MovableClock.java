package com.securebase.testkit;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Replaces the service's wall clock (the {@code @DefaultBean} {@code Clock} of the tenancy library)
 * in every Quarkus test that depends on the test kit: deadlines, retries, backoffs, leases and
 * retention are reached by moving it, not by sleeping. It runs with the wall clock plus the sum of
 * the moves, in UTC.
 */
@Singleton
public class MovableClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  public void advance(Duration by) {
    offset = offset.plus(by);
  }

  /** Back to the wall clock, so one test's moves do not leak into the next. */
  public void reset() {
    offset = Duration.ZERO;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** Always UTC: the services keep every time in UTC, and a copy would not move with this one. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
