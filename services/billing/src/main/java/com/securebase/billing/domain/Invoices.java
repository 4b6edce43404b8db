package com.securebase.billing.domain;

import com.securebase.billing.messaging.BillingEvents;
import com.securebase.billing.persistence.Accounts;
import com.securebase.billing.persistence.InvoiceStore;
import com.securebase.billing.persistence.InvoiceStore.CreditNoteRow;
import com.securebase.billing.persistence.InvoiceStore.InvoiceRow;
import com.securebase.billing.persistence.InvoiceStore.LineRow;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.problem.ConflictProblem;
import com.securebase.problem.NotFoundProblem;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An invoice's life after the run: finalize (recomputed from the usage as it is then, the period
 * closed to further usage, then frozen), pay, void, and credit notes, each with its event or audit
 * entry in the same transaction. Another tenant's invoice is a 404, as is an unknown one.
 */
@ApplicationScoped
public class Invoices {
  @Inject TenantConnections connections;
  @Inject InvoiceRun run;
  @Inject BillingEvents events;
  @Inject Clock clock;

  public record Detail(InvoiceRow invoice, List<LineRow> lines, List<CreditNoteRow> creditNotes) {}

  /** What a credit note credits: whole invoice, or amounts per line. */
  public record Credit(String reason, boolean full, Map<UUID, BigDecimal> lines) {}

  public Uni<Detail> get(UUID tenant, UUID id) {
    return connections.inTenant(tenant, sql -> detail(sql, id, false));
  }

  /** An invoice with the account it is issued to (its documents carry the branding). */
  public record Billed(Accounts.Account account, Detail detail) {}

  public Uni<Billed> billed(UUID tenant, UUID id) {
    return connections.inTenant(
        tenant,
        sql ->
            detail(sql, id, false).chain(d -> Accounts.of(sql, tenant).map(a -> new Billed(a, d))));
  }

  public Uni<Detail> finalize(UUID tenant, Actor actor, UUID id) {
    Instant now = clock.instant();
    return change(
        tenant,
        id,
        (sql, d) -> {
          InvoiceRow i = d.invoice();
          InvoiceStatus.of(i.status()).checkMoveTo(InvoiceStatus.FINALIZED);
          BillingPeriod period = BillingPeriod.containing(i.periodStart());
          // Close first: this waits for ingests holding the period, whose rows the recompute sees.
          return InvoiceStore.closePeriod(sql, i.tenantId(), i.periodStart(), i.periodEnd())
              .chain(() -> run.recompute(sql, i.tenantId(), period, i.priceBookId()))
              .chain(
                  draft -> {
                    InvoiceTotals t = draft.totals();
                    InvoiceRow done =
                        new InvoiceRow(
                            i.id(),
                            i.tenantId(),
                            i.seq(),
                            i.number(),
                            InvoiceStatus.FINALIZED.code(),
                            draft.tier(),
                            draft.book().id(),
                            i.periodStart(),
                            i.periodEnd(),
                            draft.book().currency(),
                            t.subtotal(),
                            t.discount(),
                            t.taxRate(),
                            t.tax(),
                            t.total(),
                            i.credited(),
                            i.createdAt(),
                            now,
                            null,
                            null,
                            now,
                            i.version() + 1);
                    List<LineRow> lines = InvoiceRun.lines(draft);
                    return InvoiceStore.update(sql, done)
                        .chain(() -> InvoiceStore.replaceLines(sql, i.tenantId(), i.id(), lines))
                        .chain(() -> events.invoice(sql, "finalized", done, lines))
                        .chain(
                            () ->
                                events.audited(
                                    sql,
                                    i.tenantId(),
                                    actor,
                                    "invoice.finalized",
                                    "invoice",
                                    i.id(),
                                    Map.of("number", i.number(), "total", Money.text(t.total()))));
                  });
        });
  }

  /**
   * Drafts whose period ended more than {@code grace} ago, finalized by the scheduler (as Lago's
   * grace period: until then a draft can still take late usage).
   *
   * @return how many were finalized
   */
  public Uni<Integer> finalizeDue(java.time.Duration grace) {
    Instant cutoff = clock.instant().minus(grace);
    return connections
        .asSystem(
            sql ->
                sql.preparedQuery(
                        "select tenant_id, id from invoice where status = 'draft' and period_end"
                            + " <= $1 order by period_end, id")
                    .execute(Tuple.of(cutoff.atOffset(java.time.ZoneOffset.UTC))))
        .onItem()
        .transformToMulti(rows -> Multi.createFrom().iterable(rows))
        .onItem()
        .transformToUniAndConcatenate(
            r ->
                finalize(r.getUUID(0), Actor.system("billing-finalizer"), r.getUUID(1))
                    .onFailure(ConflictProblem.class)
                    .recoverWithNull()) // finalized meanwhile by a user or another replica
        .filter(Objects::nonNull)
        .collect()
        .with(Collectors.counting())
        .map(Long::intValue);
  }

  public Uni<Detail> markPaid(Caller caller, UUID id) {
    return move(caller, id, InvoiceStatus.PAID, "paid", null);
  }

  public Uni<Detail> voidInvoice(Caller caller, UUID id) {
    return move(caller, id, InvoiceStatus.VOID, "voided", "invoice.voided");
  }

  public Uni<CreditNoteRow> credit(Caller caller, UUID id, Credit credit) {
    Instant now = clock.instant();
    return connections
        .inTenant(
            caller.tenantId(),
            sql ->
                detail(sql, id, true)
                    .chain(
                        d -> {
                          InvoiceRow i = d.invoice();
                          InvoiceStatus status = InvoiceStatus.of(i.status());
                          if (status != InvoiceStatus.FINALIZED && status != InvoiceStatus.PAID) {
                            throw new ConflictProblem(
                                "not-creditable",
                                "Invoice not creditable",
                                "Only a finalized or paid invoice takes a credit note; this one is "
                                    + status.code(),
                                Map.of("status", status.code()));
                          }
                          return InvoiceStore.creditedPerLine(sql, id)
                              .chain(
                                  already ->
                                      issue(sql, caller, i, d.lines(), already, credit, now));
                        }))
        .invoke(events::wakeRelay);
  }

  private Uni<CreditNoteRow> issue(
      SqlClient sql,
      Caller caller,
      InvoiceRow i,
      List<LineRow> lines,
      Map<UUID, BigDecimal> already,
      Credit credit,
      Instant now) {
    Map<UUID, BigDecimal> amounts = new LinkedHashMap<>();
    Map<UUID, LineRow> byId = new LinkedHashMap<>();
    lines.forEach(l -> byId.put(l.id(), l));
    if (credit.full()) {
      for (LineRow l : lines) {
        BigDecimal left = l.amount().subtract(already.getOrDefault(l.id(), BigDecimal.ZERO));
        if (left.signum() > 0) {
          amounts.put(l.id(), left);
        }
      }
      if (amounts.isEmpty()) {
        throw new ProblemException(
            409,
            "fully-credited",
            "Already credited",
            "Nothing is left to credit on " + i.number());
      }
    } else {
      for (var e : credit.lines().entrySet()) {
        LineRow l = byId.get(e.getKey());
        if (l == null) {
          throw ProblemException.invalidField(
              "lines", "names " + e.getKey() + ", which is not a line of this invoice");
        }
        BigDecimal left = l.amount().subtract(already.getOrDefault(l.id(), BigDecimal.ZERO));
        if (e.getValue().compareTo(left) > 0) {
          throw new ProblemException(
              422,
              "credit-exceeds-line",
              "Credit exceeds the line",
              "Line " + l.position() + " has " + Money.text(left) + " left to credit",
              Map.of("lineId", l.id().toString(), "creditable", Money.text(left)));
        }
        amounts.put(l.id(), e.getValue());
      }
    }
    BigDecimal subtotal = amounts.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    // The credit carries its share of the invoice's discount and tax at the invoice's rates.
    BigDecimal discount =
        i.subtotal().signum() == 0
            ? Money.ZERO
            : Money.cents(
                subtotal.multiply(i.discount()).divide(i.subtotal(), MathContext.DECIMAL128));
    BigDecimal tax = Money.cents(subtotal.subtract(discount).multiply(i.taxRate()));
    BigDecimal total = Money.cents(subtotal.subtract(discount).add(tax));
    // A full credit takes exactly what is left, and no credit takes more, so rounding of shares
    // never over- or under-credits the invoice.
    BigDecimal left = i.total().subtract(i.credited());
    BigDecimal finalTotal = credit.full() ? left : total.min(left);
    return InvoiceStore.nextSeq(sql, i.tenantId(), "credit_note")
        .chain(
            seq -> {
              CreditNoteRow note =
                  new CreditNoteRow(
                      UUID.randomUUID(),
                      i.id(),
                      seq,
                      String.format("CN-%06d", seq),
                      credit.reason(),
                      Money.cents(subtotal),
                      discount,
                      tax,
                      finalTotal,
                      now);
              InvoiceRow credited = i.creditedMore(finalTotal, now);
              return InvoiceStore.insertCreditNote(sql, i.tenantId(), note, amounts)
                  .chain(() -> InvoiceStore.update(sql, credited))
                  .chain(
                      () ->
                          events.audited(
                              sql,
                              i.tenantId(),
                              Actor.of(caller),
                              "invoice.credited",
                              "credit_note",
                              note.id(),
                              Map.of(
                                  "invoiceId", i.id().toString(),
                                  "invoiceNumber", i.number(),
                                  "number", note.number(),
                                  "total", Money.text(finalTotal),
                                  "reason", credit.reason())))
                  .replaceWith(note);
            });
  }

  private Uni<Detail> move(
      Caller caller, UUID id, InvoiceStatus to, String verb, String auditAction) {
    Instant now = clock.instant();
    return change(
        caller.tenantId(),
        id,
        (sql, d) -> {
          InvoiceRow i = d.invoice();
          InvoiceStatus.of(i.status()).checkMoveTo(to);
          InvoiceRow moved =
              i.moved(
                  to.code(),
                  to == InvoiceStatus.PAID ? now : null,
                  to == InvoiceStatus.VOID ? now : null,
                  now);
          Uni<Void> written =
              InvoiceStore.update(sql, moved)
                  .chain(() -> events.invoice(sql, verb, moved, d.lines()));
          return auditAction == null
              ? written
              : written.chain(
                  () ->
                      events.audited(
                          sql,
                          i.tenantId(),
                          Actor.of(caller),
                          auditAction,
                          "invoice",
                          i.id(),
                          Map.of("number", i.number())));
        });
  }

  private interface Step {
    Uni<Void> apply(SqlClient sql, Detail locked);
  }

  /** Locks the invoice, applies the step, and answers the invoice as it is afterwards. */
  private Uni<Detail> change(UUID tenant, UUID id, Step step) {
    return connections
        .inTenant(
            tenant,
            sql ->
                detail(sql, id, true)
                    .chain(d -> step.apply(sql, d))
                    .chain(() -> detail(sql, id, false)))
        .invoke(events::wakeRelay);
  }

  private static Uni<Detail> detail(SqlClient sql, UUID id, boolean lock) {
    return InvoiceStore.find(sql, id, lock)
        .chain(
            i -> {
              if (i == null) {
                throw new NotFoundProblem("Invoice", id);
              }
              return Uni.combine()
                  .all()
                  .unis(InvoiceStore.lines(sql, id), InvoiceStore.creditNotes(sql, id))
                  .asTuple()
                  .map(t -> new Detail(i, t.getItem1(), t.getItem2()));
            });
  }
}
