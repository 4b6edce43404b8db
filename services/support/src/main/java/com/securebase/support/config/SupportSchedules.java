package com.securebase.support.config;

import com.securebase.support.domain.Retention;
import com.securebase.support.domain.SlaSweep;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * When the SLA sweep and the retention purge run. Every replica runs them; the work itself is
 * claimed row by row in the database, so that is safe (see {@link SlaSweep}, {@link Retention}).
 */
@ApplicationScoped
public class SupportSchedules {
  private static final Logger LOG = Logger.getLogger(SupportSchedules.class);

  @Inject SlaSweep sweep;
  @Inject Retention retention;
  @Inject Clock clock;

  @Scheduled(
      every = "${securebase.support.sla.sweep-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> sweepSla() {
    return sweep
        .run(clock.instant())
        .invoke(
            n -> {
              if (n > 0) {
                LOG.infof("SLA sweep: %d ticket(s) breached", n);
              }
            })
        .replaceWithVoid();
  }

  @Scheduled(
      cron = "${securebase.support.retention.cron}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> purgeClosed() {
    return retention
        .purge(clock.instant())
        .invoke(n -> LOG.infof("Retention: %d closed ticket(s) purged", n))
        .replaceWithVoid();
  }
}
