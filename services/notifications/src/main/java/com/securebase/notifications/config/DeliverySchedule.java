package com.securebase.notifications.config;

import com.securebase.notifications.domain.DeliveryWorker;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * When the delivery worker runs: every replica, every interval, draining full batches at once. Safe
 * to run everywhere: deliveries are claimed row by row (see {@link DeliveryWorker}). Not while the
 * application is stopping: the database pool is closing then (what was due stays due).
 */
@ApplicationScoped
public class DeliverySchedule {
  @Inject DeliveryWorker worker;

  @Scheduled(
      every = "${securebase.notifications.delivery.interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> deliver() {
    return drain();
  }

  private Uni<Void> drain() {
    return worker
        .runDue()
        .chain(n -> n == worker.batchSize() ? drain() : Uni.createFrom().voidItem());
  }
}
