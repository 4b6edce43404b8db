package com.securebase.tenancy;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The wall clock every service's rules and events read (deadlines, retries, leases, retention,
 * event times), in UTC. A default bean: tests replace it with the test kit's {@code MovableClock}
 * to move time without sleeping.
 */
public class Clocks {
  @Produces
  @DefaultBean
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
