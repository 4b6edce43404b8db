package com.securebase.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for an asynchronous outcome (a consumed event, a relayed row) without a fixed sleep. */
public final class Polling {
  private Polling() {}

  /** Polls every 50 ms until {@code done}, failing the test with {@code what} after 30 s. */
  public static void until(BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
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
