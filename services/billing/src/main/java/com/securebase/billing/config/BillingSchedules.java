package com.securebase.billing.config;

import com.securebase.billing.domain.BillingPeriod;
import com.securebase.billing.domain.InvoiceRun;
import com.securebase.billing.domain.Invoices;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * When the invoice run and the finalizer run. Every replica runs them; each invoice is one
 * transaction guarded by the (tenant, period) unique key and each finalize locks its invoice, so
 * concurrent runs cannot duplicate anything, and a run that died is completed by the next tick.
 */
@ApplicationScoped
public class BillingSchedules {
  private static final Logger LOG = Logger.getLogger(BillingSchedules.class);

  @Inject InvoiceRun run;
  @Inject Invoices invoices;
  @Inject Clock clock;

  @ConfigProperty(name = "securebase.billing.grace-period")
  Duration grace;

  @Scheduled(
      cron = "${securebase.billing.invoice-run.cron}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> invoicePreviousMonth() {
    BillingPeriod period = BillingPeriod.containing(clock.instant()).previous();
    return run.forAll(period)
        .invoke(
            n -> {
              if (n > 0) {
                LOG.infof("Invoice run %s: %d draft invoice(s) created", period, n);
              }
            })
        .chain(() -> invoices.finalizeDue(grace))
        .invoke(
            n -> {
              if (n > 0) {
                LOG.infof("Finalizer: %d invoice(s) finalized after the grace period", n);
              }
            })
        .replaceWithVoid();
  }
}
