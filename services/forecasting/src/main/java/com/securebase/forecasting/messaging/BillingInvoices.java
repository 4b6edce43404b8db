package com.securebase.forecasting.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventEnvelope;
import com.securebase.forecasting.domain.CloudServices;
import com.securebase.forecasting.persistence.CostStore;
import com.securebase.messaging.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * SecureBase's own charges as cost history: each invoice event books the invoice's total to its
 * month under the service {@value CloudServices#SECUREBASE} (a draft counts until it is finalized
 * or voided; a voided invoice counts zero). Keyed by invoice and versioned, so a redelivered or
 * late older event changes nothing. Billing's usage events carry quantities, not money, and are not
 * read: the invoice is where billing turns usage into cost.
 */
@ApplicationScoped
public class BillingInvoices {
  static final String CONSUMER = "forecasting-invoices";
  private static final String PREFIX = "securebase.billing.invoice.";

  @Inject IdempotentConsumer idempotent;
  @Inject CostChecks checks;
  @Inject Clock clock;

  @Incoming("billing-events")
  public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
    return IdempotentConsumer.untilDone(
        idempotent
            .processBatch(CONSUMER, records, this::apply)
            .invoke(
                applied -> {
                  if (applied > 0) {
                    checks.wake();
                  }
                }));
  }

  Uni<Void> apply(SqlConnection c, EventEnvelope event) {
    if (!event.type().startsWith(PREFIX) || event.platformScoped()) {
      return Uni.createFrom().voidItem(); // usage thresholds are not costs
    }
    JsonNode d = event.data();
    UUID tenant = UUID.fromString(event.tenantId());
    BigDecimal amount =
        "void".equals(d.path("status").asText())
            ? BigDecimal.ZERO.setScale(2)
            : new BigDecimal(d.path("total").asText());
    var now = clock.instant();
    return CostStore.invoice(
            c,
            tenant,
            d.path("invoiceId").asText(),
            d.path("version").asInt(),
            CloudServices.SECUREBASE,
            OffsetDateTime.parse(d.path("periodStart").asText())
                .withOffsetSameInstant(ZoneOffset.UTC)
                .toLocalDate()
                .withDayOfMonth(1),
            d.path("currency").asText(),
            amount,
            now)
        .chain(
            changed -> changed ? CostStore.changed(c, tenant, now) : Uni.createFrom().voidItem());
  }
}
