package com.securebase.billing.messaging;

import com.securebase.billing.domain.BillingPeriod;
import com.securebase.billing.domain.Money;
import com.securebase.billing.persistence.InvoiceStore.InvoiceRow;
import com.securebase.billing.persistence.InvoiceStore.LineRow;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.messaging.AuditTrail;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.messaging.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Billing's events, written to the outbox inside the transaction of the change they describe (the
 * plain SQL client's), shaped as {@code kafka/schemas/billing/*.json}. The relay is woken after the
 * caller's commit.
 */
@ApplicationScoped
public class BillingEvents {
  private final DomainEvents events = new DomainEvents("billing");

  @Inject Outbox outbox;
  @Inject AuditTrail audit;

  /** {@code created}, {@code finalized}, {@code paid} or {@code voided}. */
  public Uni<Void> invoice(SqlClient sql, String verb, InvoiceRow i, List<LineRow> lines) {
    return outbox.append(sql, invoiceEvent(verb, i, lines));
  }

  /** {@code invoice.created} of a run's batch of new drafts, in one outbox statement. */
  public Uni<Void> invoicesCreated(
      SqlClient sql, List<InvoiceRow> created, Map<UUID, List<LineRow>> linesOfTenant) {
    List<EventEnvelope> batch = new ArrayList<>(created.size());
    for (InvoiceRow i : created) {
      batch.add(invoiceEvent("created", i, linesOfTenant.get(i.tenantId())));
    }
    return outbox.append(sql, batch);
  }

  private EventEnvelope invoiceEvent(String verb, InvoiceRow i, List<LineRow> lines) {
    return events.create(
        "securebase.billing.invoice." + verb,
        i.tenantId().toString(),
        i.id().toString(),
        invoiceData(i, lines));
  }

  public Uni<Void> audited(
      SqlClient sql,
      UUID tenant,
      Actor actor,
      String action,
      String resourceType,
      UUID resourceId,
      Map<String, Object> details) {
    return audit.record(
        sql, tenant.toString(), actor, action, resourceType, resourceId.toString(), details);
  }

  public Uni<Void> thresholdReached(
      SqlClient sql,
      UUID tenant,
      UUID thresholdId,
      String metricCode,
      BigDecimal threshold,
      BigDecimal quantity,
      BigDecimal projectedCharge,
      String currency,
      BillingPeriod period,
      Instant now) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", tenant.toString());
    data.put("metricCode", metricCode);
    data.put("thresholdId", thresholdId.toString());
    data.put("threshold", Money.quantityText(threshold));
    data.put("currentQuantity", Money.quantityText(quantity));
    data.put("projectedCharge", Money.text(projectedCharge));
    data.put("currency", currency);
    data.put("periodStart", utc(period.start()));
    data.put("periodEnd", utc(period.end()));
    data.put("reachedAt", utc(now));
    return outbox.append(
        sql,
        events.create(
            "securebase.billing.usage.threshold_reached",
            tenant.toString(),
            thresholdId.toString(),
            data));
  }

  public void wakeRelay() {
    outbox.wakeRelay();
  }

  static Map<String, Object> invoiceData(InvoiceRow i, List<LineRow> lines) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", i.tenantId().toString());
    data.put("invoiceId", i.id().toString());
    data.put("number", i.number());
    data.put("status", i.status());
    data.put("tier", i.tier());
    data.put("periodStart", utc(i.periodStart()));
    data.put("periodEnd", utc(i.periodEnd()));
    data.put("currency", i.currency());
    List<Map<String, Object>> out = new ArrayList<>();
    for (LineRow l : lines) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("lineId", l.id().toString());
      line.put("kind", l.kind());
      line.put("description", l.description());
      line.put("metricCode", l.metricCode());
      line.put("chargeModel", l.chargeModel());
      line.put("quantity", l.quantity() == null ? null : Money.quantityText(l.quantity()));
      line.put("amount", Money.text(l.amount()));
      out.add(line);
    }
    data.put("lines", out);
    data.put("subtotal", Money.text(i.subtotal()));
    data.put("discount", Money.text(i.discount()));
    data.put("taxRate", i.taxRate().stripTrailingZeros().toPlainString());
    data.put("tax", Money.text(i.tax()));
    data.put("total", Money.text(i.total()));
    data.put("createdAt", utc(i.createdAt()));
    data.put("finalizedAt", utc(i.finalizedAt()));
    data.put("paidAt", utc(i.paidAt()));
    data.put("voidedAt", utc(i.voidedAt()));
    data.put("updatedAt", utc(i.updatedAt()));
    data.put("version", i.version());
    return data;
  }

  private static String utc(Instant t) {
    // Instant's form always has seconds (an OffsetDateTime drops ":00", which RFC 3339 refuses).
    return t == null ? null : t.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString();
  }
}
