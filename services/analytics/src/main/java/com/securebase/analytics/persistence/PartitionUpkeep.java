package com.securebase.analytics.persistence;

import com.securebase.analytics.config.AnalyticsSettings;
import com.securebase.tenancy.TenantConnections;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps the point store's shape: the next {@value #AHEAD} months' partitions exist before points
 * arrive for them, partitions past the retention are dropped (a whole month at once: no row-by-row
 * delete, no vacuum debt), and expired cached answers are swept. At start-up and daily.
 */
@ApplicationScoped
public class PartitionUpkeep {
  private static final Logger LOG = Logger.getLogger(PartitionUpkeep.class);
  static final int AHEAD = 3;

  @Inject TenantConnections connections;
  @Inject PointIntake intake;
  @Inject AnalyticsSettings settings;
  @Inject Clock clock;

  void atStart(@Observes StartupEvent start) {
    run().await().indefinitely();
  }

  @Scheduled(
      cron = "${securebase.analytics.maintenance.cron}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> daily() {
    return run().replaceWithVoid();
  }

  /**
   * @return how many partitions were dropped
   */
  public Uni<Integer> run() {
    Instant now = clock.instant();
    LocalDate month = now.atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
    Set<LocalDate> ahead = new LinkedHashSet<>();
    for (int i = 0; i <= AHEAD; i++) {
      ahead.add(month.plusMonths(i));
    }
    LocalDate cutoff = settings.oldestKept(now).atOffset(ZoneOffset.UTC).toLocalDate();
    return intake
        .ensurePartitions(ahead)
        .chain(() -> connections.asSystem(c -> PointStore.dropBefore(c, cutoff)))
        .call(
            dropped -> {
              if (dropped > 0) {
                LOG.infof("Dropped %d point partitions before %s (retention)", dropped, cutoff);
                intake.forgetPartitions();
              }
              return connections.asSystem(c -> QueryCache.sweep(c, now));
            });
  }
}
