package com.securebase.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop load: {@code inFlight} virtual threads, each sending its next call as soon as the
 * previous one answered, until {@code total} calls were made. Throughput and latency both come out.
 */
final class ClosedLoop {
  /** One call; true when it succeeded. An exception counts as a failure. */
  @FunctionalInterface
  interface Call {
    boolean send() throws Exception;
  }

  record Result(Latencies latencies, long nanos, int failures) {
    double perSecond() {
      return latencies.count() / (nanos / 1e9);
    }

    String failureNote() {
      return failures == 0 ? "" : "   (" + failures + " FAILED)";
    }
  }

  private ClosedLoop() {}

  static Result run(int total, int inFlight, Call call) throws InterruptedException {
    Latencies latencies = new Latencies();
    AtomicInteger remaining = new AtomicInteger(total);
    AtomicInteger failures = new AtomicInteger();
    long started = System.nanoTime();
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < inFlight; i++) {
        senders.submit(
            () -> {
              while (remaining.getAndDecrement() > 0) {
                long sent = System.nanoTime();
                boolean ok;
                try {
                  ok = call.send();
                } catch (Exception e) {
                  ok = false;
                }
                latencies.add(System.nanoTime() - sent);
                if (!ok) {
                  failures.incrementAndGet();
                }
              }
              return null;
            });
      }
    }
    return new Result(latencies, System.nanoTime() - started, failures.get());
  }
}
