package com.securebase.webhooks.domain;

import java.time.Duration;

/**
 * Circuit breaker of one endpoint on one replica: after {@code threshold} consecutive failures it
 * opens and the endpoint's due deliveries are left alone for {@code openFor}; then one trial
 * delivery goes out (half-open) and its outcome closes or reopens the circuit. This keeps a dead
 * receiver from occupying delivery capacity that healthy receivers need; the retry schedule still
 * decides when each message is due.
 */
public final class EndpointCircuit {
  private final int threshold;
  private final long openForNanos;
  private int consecutiveFailures;
  private long openUntil;
  private boolean trialInFlight;

  public EndpointCircuit(int threshold, Duration openFor) {
    this.threshold = threshold;
    this.openForNanos = openFor.toNanos();
  }

  /** Whether a delivery may start now ({@code nanoTime} from a monotonic clock). */
  public synchronized boolean allows(long nanoTime) {
    if (consecutiveFailures < threshold) {
      return true;
    }
    if (nanoTime - openUntil < 0 || trialInFlight) {
      return false;
    }
    trialInFlight = true;
    return true;
  }

  /** Open (or waiting for its trial's outcome): the dispatcher does not claim for it. */
  public synchronized boolean open(long nanoTime) {
    return consecutiveFailures >= threshold && (nanoTime - openUntil < 0 || trialInFlight);
  }

  public synchronized void succeeded() {
    consecutiveFailures = 0;
    trialInFlight = false;
  }

  public synchronized void failed(long nanoTime) {
    consecutiveFailures++;
    trialInFlight = false;
    if (consecutiveFailures >= threshold) {
      openUntil = nanoTime + openForNanos;
    }
  }
}
