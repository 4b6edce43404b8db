package com.securebase.billing.domain;

import com.securebase.billing.messaging.BillingEvents;
import com.securebase.billing.persistence.Accounts;
import com.securebase.billing.persistence.Catalogue;
import com.securebase.billing.persistence.InvoiceStore;
import com.securebase.billing.persistence.InvoiceStore.InvoiceRow;
import com.securebase.billing.persistence.InvoiceStore.LineRow;
import com.securebase.billing.persistence.UsageStore;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Creates draft invoices. Each tenant's invoice is one transaction (number, invoice, lines and
 * {@code invoice.created} commit together), and the (tenant, period) unique key makes concurrent or
 * repeated runs harmless: the second insert finds the first and rolls back, number included, so
 * numbers stay gap-free. A run that dies part-way leaves whole invoices behind; the next run
 * creates the missing ones and leaves the rest alone.
 */
@ApplicationScoped
public class InvoiceRun {
  @Inject TenantConnections connections;
  @Inject Catalogue catalogue;
  @Inject BillingEvents events;
  @Inject Clock clock;

  /** What a run for one tenant did. */
  public record Outcome(UUID invoiceId, boolean created) {}

  /** The invoice of one tenant's ended period: created, or the one that exists. */
  public Uni<Outcome> forTenant(UUID tenant, BillingPeriod period) {
    Instant now = clock.instant();
    return connections
        .inTenant(
            tenant,
            sql ->
                InvoiceStore.idForPeriod(sql, tenant, period.start())
                    .chain(
                        existing ->
                            existing != null
                                ? Uni.createFrom().item(new Outcome(existing, false))
                                : create(sql, tenant, period, now)))
        .invoke(
            o -> {
              if (o.created()) {
                events.wakeRelay();
              }
            })
        .onFailure(RaceLost.class)
        .recoverWithUni(
            lost ->
                connections.inTenant(
                    tenant,
                    sql ->
                        InvoiceStore.idForPeriod(sql, tenant, period.start())
                            .map(id -> new Outcome(id, false))));
  }

  /**
   * Every tenant billing knows (an account, or usage in the period) that has no invoice for the
   * period yet, one transaction each.
   *
   * @return how many invoices were created
   */
  public Uni<Integer> forAll(BillingPeriod period) {
    return connections
        .asSystem(
            sql ->
                sql.preparedQuery(
                        "select t.tenant_id from (select tenant_id from tenant_account union"
                            + " select distinct tenant_id from billing_period where period_start"
                            + " = $1 union select distinct tenant_id from usage_event where"
                            + " occurred_at >= $1 and occurred_at < $2) t where not exists"
                            + " (select 1 from invoice i where i.tenant_id = t.tenant_id and"
                            + " i.period_start = $1) order by t.tenant_id")
                    .execute(
                        Tuple.of(
                            period.start().atOffset(ZoneOffset.UTC),
                            period.end().atOffset(ZoneOffset.UTC))))
        .onItem()
        .transformToMulti(rows -> Multi.createFrom().iterable(rows))
        .map(r -> r.getUUID(0))
        .onItem()
        .transformToUniAndConcatenate(tenant -> forTenant(tenant, period))
        .filter(Outcome::created)
        .collect()
        .with(java.util.stream.Collectors.counting())
        .map(Long::intValue);
  }

  private Uni<Outcome> create(SqlClient sql, UUID tenant, BillingPeriod period, Instant now) {
    return compute(sql, tenant, period)
        .chain(
            draft ->
                InvoiceStore.nextSeq(sql, tenant, "invoice")
                    .chain(
                        seq -> {
                          UUID id = UUID.randomUUID();
                          InvoiceRow row = row(id, tenant, seq, period, draft, now);
                          List<LineRow> lines = lines(draft);
                          return InvoiceStore.insert(sql, row)
                              .chain(
                                  inserted -> {
                                    if (!inserted) {
                                      // Roll back the number taken above with the transaction.
                                      return Uni.createFrom().failure(new RaceLost());
                                    }
                                    return InvoiceStore.replaceLines(sql, tenant, id, lines)
                                        .chain(() -> events.invoice(sql, "created", row, lines))
                                        .replaceWith(new Outcome(id, true));
                                  });
                        }));
  }

  /** The draft's lines and totals from the usage as it is now. */
  public Uni<InvoiceDraft> compute(SqlClient sql, UUID tenant, BillingPeriod period) {
    return Uni.combine()
        .all()
        .unis(
            Accounts.of(sql, tenant),
            Accounts.tierHistory(sql, tenant),
            catalogue.metrics(),
            catalogue.inForce(sql, period.end()),
            UsageStore.aggregates(sql, tenant, period))
        .asTuple()
        .map(
            t ->
                InvoiceDraft.of(
                    period,
                    t.getItem2(),
                    t.getItem1().tier(),
                    t.getItem4()::get,
                    t.getItem3(),
                    t.getItem5(),
                    t.getItem1().taxRate()));
  }

  static List<LineRow> lines(InvoiceDraft draft) {
    List<LineRow> lines = new ArrayList<>();
    int position = 1;
    for (InvoiceDraft.Line l : draft.lines()) {
      lines.add(
          new LineRow(
              UUID.randomUUID(),
              position++,
              l.kind(),
              l.description(),
              l.metricCode(),
              l.model() == null ? null : l.model().code(),
              l.quantity(),
              l.amount()));
    }
    return lines;
  }

  private static InvoiceRow row(
      UUID id, UUID tenant, int seq, BillingPeriod period, InvoiceDraft d, Instant now) {
    InvoiceTotals t = d.totals();
    return new InvoiceRow(
        id,
        tenant,
        seq,
        String.format("INV-%06d", seq),
        InvoiceStatus.DRAFT.code(),
        d.tier(),
        d.book().id(),
        period.start(),
        period.end(),
        d.book().currency(),
        t.subtotal(),
        t.discount(),
        t.taxRate(),
        t.tax(),
        t.total(),
        BigDecimal.ZERO.setScale(2),
        now,
        null,
        null,
        null,
        now,
        1);
  }

  /** Another run created this tenant's invoice first; ours rolls back. */
  static final class RaceLost extends RuntimeException {
    RaceLost() {
      super(null, null, false, false);
    }
  }
}
