package com.securebase.billing.domain;

import com.securebase.billing.messaging.BillingEvents;
import com.securebase.billing.persistence.Accounts;
import com.securebase.billing.persistence.Catalogue;
import com.securebase.billing.persistence.InvoiceStore;
import com.securebase.billing.persistence.InvoiceStore.InvoiceRow;
import com.securebase.billing.persistence.InvoiceStore.LineRow;
import com.securebase.billing.persistence.InvoiceStore.PlacedLine;
import com.securebase.billing.persistence.UsageStore;
import com.securebase.billing.persistence.UsageStore.Aggregates;
import com.securebase.tenancy.TenantConnections;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Creates draft invoices, a batch of tenants per transaction: their aggregates in one scan, then
 * numbers, invoices, lines and {@code invoice.created} events in one statement each, so a month of
 * ten thousand tenants costs little more than one {@code GROUP BY} of its usage.
 *
 * <p>Safe to race and to repeat: the (tenant, period) unique key lets only one invoice in; a tenant
 * whose invoice another run inserted first gives its number back in the same transaction, so
 * numbers stay gap-free. A run that dies loses at most its open batch, which rolls back whole; the
 * next run invoices what is missing. The same code invoices one tenant on demand.
 */
@ApplicationScoped
public class InvoiceRun {
  /** Tenants per transaction: bounds memory and the work a crash rolls back. */
  static final int BATCH = 500;

  @Inject TenantConnections connections;
  @Inject Catalogue catalogue;
  @Inject BillingEvents events;
  @Inject Clock clock;
  @Inject MeterRegistry meters;

  private record Pending(List<UUID> tenants, Map<UUID, Map<String, Aggregates>> aggregates) {}

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
                                : catalogue
                                    .metrics()
                                    .chain(
                                        m -> UsageStore.aggregates(sql, m, List.of(tenant), period))
                                    .chain(a -> create(sql, List.of(tenant), period, now, a))
                                    .chain(
                                        created ->
                                            InvoiceStore.idForPeriod(sql, tenant, period.start())
                                                .map(id -> new Outcome(id, created == 1)))))
        .invoke(
            o -> {
              if (o.created()) {
                events.wakeRelay();
              }
            });
  }

  /**
   * Every tenant billing knows (an account, or usage in the period) that has no invoice for the
   * period yet.
   *
   * @return how many invoices were created
   */
  public Uni<Integer> forAll(BillingPeriod period) {
    Instant now = clock.instant();
    Timer.Sample timing = Timer.start(meters);
    return connections
        .asSystem(
            sql ->
                sql.preparedQuery(
                        // Every ingest opens its tenant's billing_period row, so accounts and
                        // periods name every tenant with usage, without scanning the usage.
                        "select t.tenant_id from (select tenant_id from tenant_account union"
                            + " select tenant_id from billing_period where period_start = $1) t"
                            + " where not exists (select 1 from invoice i where i.tenant_id ="
                            + " t.tenant_id and i.period_start = $1) order by t.tenant_id")
                    .execute(Tuple.of(period.start().atOffset(ZoneOffset.UTC)))
                    .chain(
                        rows -> {
                          List<UUID> tenants = new ArrayList<>();
                          for (Row r : rows) {
                            tenants.add(r.getUUID(0));
                          }
                          // The whole period's aggregates in one pass over its usage (a row per
                          // tenant and metric: memory grows with tenants, not with records).
                          return tenants.isEmpty()
                              ? Uni.createFrom().item(new Pending(tenants, Map.of()))
                              : catalogue
                                  .metrics()
                                  .chain(m -> UsageStore.aggregates(sql, m, period))
                                  .map(aggregates -> new Pending(tenants, aggregates));
                        }))
        .onItem()
        .transformToMulti(
            pending -> {
              List<Pending> batches = new ArrayList<>();
              for (int i = 0; i < pending.tenants().size(); i += BATCH) {
                batches.add(
                    new Pending(
                        pending.tenants().subList(i, Math.min(pending.tenants().size(), i + BATCH)),
                        pending.aggregates()));
              }
              return Multi.createFrom().iterable(batches);
            })
        .onItem()
        .transformToUniAndConcatenate(
            batch ->
                connections
                    .asSystem(sql -> create(sql, batch.tenants(), period, now, batch.aggregates()))
                    .invoke(n -> events.wakeRelay()))
        .collect()
        .with(Collectors.summingInt(Integer::intValue))
        .invoke(
            n ->
                timing.stop(
                    meters.timer(
                        "securebase.billing.invoice.run", "outcome", n > 0 ? "created" : "none")));
  }

  /** Invoices the tenants that have none for the period; returns how many were created. */
  private Uni<Integer> create(
      SqlClient sql,
      List<UUID> tenants,
      BillingPeriod period,
      Instant now,
      Map<UUID, Map<String, Aggregates>> aggregates) {
    return compute(sql, tenants, period, aggregates, null)
        .chain(
            drafts ->
                InvoiceStore.nextSeqs(sql, tenants, "invoice")
                    .chain(
                        seqs -> {
                          List<InvoiceRow> rows = new ArrayList<>();
                          List<PlacedLine> lines = new ArrayList<>();
                          Map<UUID, List<LineRow>> linesOf = new HashMap<>();
                          for (UUID tenant : tenants) {
                            InvoiceDraft draft = drafts.get(tenant);
                            InvoiceRow row =
                                row(
                                    UUID.randomUUID(),
                                    tenant,
                                    seqs.get(tenant),
                                    period,
                                    draft,
                                    now);
                            rows.add(row);
                            linesOf.put(tenant, lines(draft));
                          }
                          return InvoiceStore.insertAll(sql, rows)
                              .chain(
                                  inserted -> {
                                    List<InvoiceRow> created = new ArrayList<>();
                                    List<UUID> lost = new ArrayList<>();
                                    for (InvoiceRow row : rows) {
                                      if (inserted.contains(row.tenantId())) {
                                        created.add(row);
                                        for (LineRow l : linesOf.get(row.tenantId())) {
                                          lines.add(new PlacedLine(row.tenantId(), row.id(), l));
                                        }
                                      } else {
                                        lost.add(row.tenantId()); // another run was first
                                      }
                                    }
                                    return InvoiceStore.releaseSeqs(sql, lost, "invoice")
                                        .chain(
                                            () ->
                                                lines.isEmpty()
                                                    ? Uni.createFrom().voidItem()
                                                    : InvoiceStore.insertLines(sql, lines))
                                        .chain(() -> events.invoicesCreated(sql, created, linesOf))
                                        .replaceWith(created.size());
                                  });
                        }));
  }

  /** The draft's lines and totals from the usage as it is now. */
  /**
   * A draft recomputed from the usage as it is now, at the prices it was first computed with
   * ({@code book}, the version of its tier the draft recorded), so a price version added since
   * never changes an invoice already issued as a draft.
   */
  public Uni<InvoiceDraft> recompute(SqlClient sql, UUID tenant, BillingPeriod period, UUID book) {
    return Uni.combine()
        .all()
        .unis(catalogue.metrics(), catalogue.book(sql, book))
        .asTuple()
        .chain(
            t ->
                UsageStore.aggregates(sql, t.getItem1(), List.of(tenant), period)
                    .chain(a -> compute(sql, List.of(tenant), period, a, t.getItem2())))
        .map(drafts -> drafts.get(tenant));
  }

  private Uni<Map<UUID, InvoiceDraft>> compute(
      SqlClient sql,
      List<UUID> tenants,
      BillingPeriod period,
      Map<UUID, Map<String, Aggregates>> aggregates,
      PriceBook kept) {
    return Uni.combine()
        .all()
        .unis(
            Accounts.of(sql, tenants),
            Accounts.tierHistory(sql, tenants),
            catalogue.metrics(),
            catalogue.inForce(sql, period.end()))
        .asTuple()
        .map(
            t -> {
              Map<UUID, InvoiceDraft> drafts = new HashMap<>();
              for (UUID tenant : tenants) {
                Accounts.Account account = t.getItem1().get(tenant);
                drafts.put(
                    tenant,
                    InvoiceDraft.of(
                        period,
                        t.getItem2().get(tenant),
                        account.tier(),
                        tier ->
                            kept != null && kept.tier().equals(tier)
                                ? kept
                                : t.getItem4().get(tier),
                        t.getItem3(),
                        aggregates.getOrDefault(tenant, Map.of()),
                        account.taxRate()));
              }
              return drafts;
            });
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
}
