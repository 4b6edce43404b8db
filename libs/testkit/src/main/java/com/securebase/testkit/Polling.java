package com.securebase.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for an asynchronous outcome (a consumed event, a relayed row) without a fixed sleep. */
public final class Polling {
  private Polling() {}

  /** Polls every 50 ms until {@code done}, failing the test with {@code what} after 30 s. */
  public static void until(BooleanSupplier done, String what) {
    until(done, what, Duration.ofSeconds(30));
  }

  /**
   * Polls every 50 ms until {@code done}, failing the test with {@code what} after {@code timeout}.
   */
  public static void until(BooleanSupplier done, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
