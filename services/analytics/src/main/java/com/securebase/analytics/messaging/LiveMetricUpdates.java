package com.securebase.analytics.messaging;

import com.securebase.analytics.config.AnalyticsSettings;
import com.securebase.analytics.persistence.NoticeStore;
import com.securebase.tenancy.TenantConnections;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;

/**
 * Announces new points as {@code securebase.analytics.metrics.updated}, at most once per tenant per
 * window (notifications pushes it to portals as {@code metrics_update}). What landed in the window
 * is gathered into one event: the metrics and the time range a dashboard should refresh. Every
 * replica flushes; SKIP LOCKED gives each tenant's row to one of them.
 */
@ApplicationScoped
public class LiveMetricUpdates {
  private static final int BATCH = 500;

  @Inject TenantConnections connections;
  @Inject AnalyticsEvents events;
  @Inject AnalyticsSettings settings;
  @Inject Clock clock;

  @Scheduled(
      every = "${securebase.analytics.live-update.flush}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> flush() {
    Instant now = clock.instant();
    return connections
        .asSystem(
            c ->
                NoticeStore.takeDue(c, now, settings.liveUpdate().window(), BATCH)
                    .call(
                        due ->
                            due.isEmpty()
                                ? Uni.createFrom().voidItem()
                                : events.metricsUpdated(c, due, now)))
        .invoke(
            due -> {
              if (!due.isEmpty()) {
                events.committed();
              }
            })
        .replaceWithVoid();
  }
}
