package com.securebase.billing.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Invoices, their lines, credit notes and the per-tenant document counters, in plain SQL. */
public final class InvoiceStore {
  private InvoiceStore() {}

  public record InvoiceRow(
      UUID id,
      UUID tenantId,
      int seq,
      String number,
      String status,
      String tier,
      UUID priceBookId,
      Instant periodStart,
      Instant periodEnd,
      String currency,
      BigDecimal subtotal,
      BigDecimal discount,
      BigDecimal taxRate,
      BigDecimal tax,
      BigDecimal total,
      BigDecimal credited,
      Instant createdAt,
      Instant finalizedAt,
      Instant paidAt,
      Instant voidedAt,
      Instant updatedAt,
      int version) {

    /** The invoice in a new status (paid or void), one version on. */
    public InvoiceRow moved(String newStatus, Instant paid, Instant voided, Instant now) {
      return next(newStatus, credited, paid, voided, now);
    }

    /** The invoice with {@code amount} more credited by a credit note, one version on. */
    public InvoiceRow creditedMore(BigDecimal amount, Instant now) {
      return next(status, credited.add(amount), paidAt, voidedAt, now);
    }

    private InvoiceRow next(
        String newStatus, BigDecimal newCredited, Instant paid, Instant voided, Instant now) {
      return new InvoiceRow(
          id,
          tenantId,
          seq,
          number,
          newStatus,
          tier,
          priceBookId,
          periodStart,
          periodEnd,
          currency,
          subtotal,
          discount,
          taxRate,
          tax,
          total,
          newCredited,
          createdAt,
          finalizedAt,
          paid,
          voided,
          now,
          version + 1);
    }
  }

  public record LineRow(
      UUID id,
      int position,
      String kind,
      String description,
      String metricCode,
      String chargeModel,
      BigDecimal quantity,
      BigDecimal amount) {}

  public record CreditNoteRow(
      UUID id,
      UUID invoiceId,
      int seq,
      String number,
      String reason,
      BigDecimal subtotal,
      BigDecimal discount,
      BigDecimal tax,
      BigDecimal total,
      Instant createdAt) {}

  private static final String COLUMNS =
      "id, tenant_id, seq, number, status, tier, price_book_id, period_start, period_end,"
          + " currency, subtotal, discount, tax_rate, tax, total, credited, created_at,"
          + " finalized_at, paid_at, voided_at, updated_at, version";

  /** The next number of a tenant's documents, taken in the caller's transaction (gap-free). */
  public static Uni<Integer> nextSeq(SqlClient sql, UUID tenant, String kind) {
    return sql.preparedQuery(
            "insert into document_counter (tenant_id, kind, last_seq) values ($1, $2, 1)"
                + " on conflict (tenant_id, kind) do update set last_seq ="
                + " document_counter.last_seq + 1 returning last_seq")
        .execute(Tuple.of(tenant, kind))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  /**
   * The next invoice number of each listed tenant, in the caller's transaction; tenants are taken
   * in id order so concurrent batches lock counter rows in one order.
   */
  public static Uni<Map<UUID, Integer>> nextSeqs(SqlClient sql, List<UUID> tenants, String kind) {
    return sql.preparedQuery(
            "insert into document_counter (tenant_id, kind, last_seq) select t, $2, 1 from"
                + " unnest($1::uuid[]) t order by t on conflict (tenant_id, kind) do update set"
                + " last_seq = document_counter.last_seq + 1 returning tenant_id, last_seq")
        .execute(Tuple.of(tenants.stream().sorted().toArray(UUID[]::new), kind))
        .map(
            rows -> {
              Map<UUID, Integer> seqs = new HashMap<>();
              for (Row r : rows) {
                seqs.put(r.getUUID(0), r.getInteger(1));
              }
              return seqs;
            });
  }

  /** Gives back numbers taken in this transaction but not used (the invoice existed already). */
  public static Uni<Void> releaseSeqs(SqlClient sql, List<UUID> tenants, String kind) {
    return tenants.isEmpty()
        ? Uni.createFrom().voidItem()
        : sql.preparedQuery(
                "update document_counter set last_seq = last_seq - 1 where kind = $2 and"
                    + " tenant_id = any($1::uuid[])")
            .execute(Tuple.of(tenants.toArray(UUID[]::new), kind))
            .replaceWithVoid();
  }

  /**
   * Inserts the invoices whose tenant has none for the period yet, in one statement.
   *
   * @return the tenants whose invoice was inserted
   */
  public static Uni<Set<UUID>> insertAll(SqlClient sql, List<InvoiceRow> invoices) {
    int n = invoices.size();
    UUID[] ids = new UUID[n];
    UUID[] tenants = new UUID[n];
    Integer[] seqs = new Integer[n];
    String[] numbers = new String[n];
    String[] tiers = new String[n];
    UUID[] books = new UUID[n];
    String[] subtotals = new String[n];
    String[] discounts = new String[n];
    String[] rates = new String[n];
    String[] taxes = new String[n];
    String[] totals = new String[n];
    for (int k = 0; k < n; k++) {
      InvoiceRow i = invoices.get(k);
      ids[k] = i.id();
      tenants[k] = i.tenantId();
      seqs[k] = i.seq();
      numbers[k] = i.number();
      tiers[k] = i.tier();
      books[k] = i.priceBookId();
      subtotals[k] = i.subtotal().toPlainString();
      discounts[k] = i.discount().toPlainString();
      rates[k] = i.taxRate().toPlainString();
      taxes[k] = i.tax().toPlainString();
      totals[k] = i.total().toPlainString();
    }
    InvoiceRow first = invoices.getFirst();
    return sql.preparedQuery(
            "insert into invoice (id, tenant_id, seq, number, status, tier, price_book_id,"
                + " period_start, period_end, currency, subtotal, discount, tax_rate, tax, total,"
                + " credited, created_at, updated_at, version) select t.id, t.tenant, t.seq,"
                + " t.number, 'draft', t.tier, t.book, $12, $13, $14, t.subtotal, t.discount,"
                + " t.rate, t.tax, t.total, 0, $15, $15, 1 from unnest($1::uuid[], $2::uuid[],"
                + " $3::int[], $4::text[], $5::text[], $6::uuid[], $7::text[]::numeric[],"
                + " $8::text[]::numeric[], $9::text[]::numeric[], $10::text[]::numeric[],"
                + " $11::text[]::numeric[]) as t(id, tenant, seq, number, tier, book, subtotal,"
                + " discount, rate, tax, total) on conflict (tenant_id, period_start) do nothing"
                + " returning tenant_id")
        .execute(
            Tuple.from(
                new Object[] {
                  ids,
                  tenants,
                  seqs,
                  numbers,
                  tiers,
                  books,
                  subtotals,
                  discounts,
                  rates,
                  taxes,
                  totals,
                  utc(first.periodStart()),
                  utc(first.periodEnd()),
                  first.currency(),
                  utc(first.createdAt())
                }))
        .map(
            rows -> {
              Set<UUID> inserted = new HashSet<>();
              for (Row r : rows) {
                inserted.add(r.getUUID(0));
              }
              return inserted;
            });
  }

  /** A line with the invoice and tenant it belongs to, for writing many invoices' lines at once. */
  public record PlacedLine(UUID tenantId, UUID invoiceId, LineRow line) {}

  public static Uni<Void> insertLines(SqlClient sql, List<PlacedLine> placed) {
    int n = placed.size();
    UUID[] ids = new UUID[n];
    UUID[] tenants = new UUID[n];
    UUID[] invoices = new UUID[n];
    Integer[] positions = new Integer[n];
    String[] kinds = new String[n];
    String[] descriptions = new String[n];
    String[] metrics = new String[n];
    String[] models = new String[n];
    String[] quantities = new String[n];
    String[] amounts = new String[n];
    for (int k = 0; k < n; k++) {
      LineRow l = placed.get(k).line();
      ids[k] = l.id();
      tenants[k] = placed.get(k).tenantId();
      invoices[k] = placed.get(k).invoiceId();
      positions[k] = l.position();
      kinds[k] = l.kind();
      descriptions[k] = l.description();
      metrics[k] = l.metricCode();
      models[k] = l.chargeModel();
      quantities[k] = l.quantity() == null ? null : l.quantity().toPlainString();
      amounts[k] = l.amount().toPlainString();
    }
    return sql.preparedQuery(
            "insert into invoice_line (id, tenant_id, invoice_id, position, kind, description,"
                + " metric_code, charge_model, quantity, amount) select * from unnest($1::uuid[],"
                + " $2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::text[],"
                + " $8::text[], $9::text[]::numeric[], $10::text[]::numeric[])")
        .execute(
            Tuple.from(
                new Object[] {
                  ids,
                  tenants,
                  invoices,
                  positions,
                  kinds,
                  descriptions,
                  metrics,
                  models,
                  quantities,
                  amounts
                }))
        .replaceWithVoid();
  }

  public static Uni<UUID> idForPeriod(SqlClient sql, UUID tenant, Instant periodStart) {
    return sql.preparedQuery("select id from invoice where tenant_id = $1 and period_start = $2")
        .execute(Tuple.of(tenant, utc(periodStart)))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID(0) : null);
  }

  public static Uni<Void> update(SqlClient sql, InvoiceRow i) {
    return sql.preparedQuery(
            "update invoice set status = $2, tier = $3, price_book_id = $4, subtotal = $5,"
                + " discount = $6, tax_rate = $7, tax = $8, total = $9, credited = $10,"
                + " finalized_at = $11, paid_at = $12, voided_at = $13, updated_at = $14, version"
                + " = $15 where id = $1")
        .execute(
            Tuple.from(
                Arrays.asList(
                    i.id(),
                    i.status(),
                    i.tier(),
                    i.priceBookId(),
                    i.subtotal(),
                    i.discount(),
                    i.taxRate(),
                    i.tax(),
                    i.total(),
                    i.credited(),
                    utc(i.finalizedAt()),
                    utc(i.paidAt()),
                    utc(i.voidedAt()),
                    utc(i.updatedAt()),
                    i.version())))
        .replaceWithVoid();
  }

  public static Uni<Void> replaceLines(
      SqlClient sql, UUID tenant, UUID invoice, List<LineRow> lines) {
    return sql.preparedQuery("delete from invoice_line where invoice_id = $1")
        .execute(Tuple.of(invoice))
        .chain(
            () ->
                insertLines(
                    sql, lines.stream().map(l -> new PlacedLine(tenant, invoice, l)).toList()));
  }

  public static Uni<InvoiceRow> find(SqlClient sql, UUID id, boolean lock) {
    return sql.preparedQuery(
            "select " + COLUMNS + " from invoice where id = $1" + (lock ? " for update" : ""))
        .execute(Tuple.of(id))
        .map(rows -> rows.iterator().hasNext() ? invoice(rows.iterator().next()) : null);
  }

  public static Uni<List<LineRow>> lines(SqlClient sql, UUID invoice) {
    return sql.preparedQuery(
            "select id, position, kind, description, metric_code, charge_model, quantity, amount"
                + " from invoice_line where invoice_id = $1 order by position")
        .execute(Tuple.of(invoice))
        .map(
            rows -> {
              List<LineRow> lines = new ArrayList<>();
              for (Row r : rows) {
                lines.add(
                    new LineRow(
                        r.getUUID(0),
                        r.getInteger(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getBigDecimal(6),
                        r.getBigDecimal(7)));
              }
              return lines;
            });
  }

  /**
   * A page of the tenant's invoices, newest period first, after the keyset ({@code afterPeriod},
   * {@code afterId}) when given; {@code limit + 1} rows tell whether more follow.
   */
  public static Uni<List<InvoiceRow>> page(
      SqlClient sql,
      UUID tenant,
      String status,
      Instant from,
      Instant to,
      Instant afterPeriod,
      UUID afterId,
      int limit) {
    return sql.preparedQuery(
            "select "
                + COLUMNS
                + " from invoice where tenant_id = $1 and ($2::text is null or status = $2)"
                + " and ($3::timestamptz is null or period_start >= $3)"
                + " and ($4::timestamptz is null or period_start < $4)"
                + " and ($5::timestamptz is null or (period_start, id) < ($5, $6))"
                + " order by period_start desc, id desc limit $7")
        .execute(
            Tuple.from(
                Arrays.asList(
                    tenant, status, utc(from), utc(to), utc(afterPeriod), afterId, limit + 1)))
        .map(InvoiceStore::invoices);
  }

  /** Invoiced amounts per line already credited by earlier credit notes. */
  public static Uni<Map<UUID, BigDecimal>> creditedPerLine(SqlClient sql, UUID invoice) {
    return sql.preparedQuery(
            "select l.invoice_line_id, sum(l.amount) from credit_note_line l join credit_note c"
                + " on c.id = l.credit_note_id where c.invoice_id = $1 group by"
                + " l.invoice_line_id")
        .execute(Tuple.of(invoice))
        .map(
            rows -> {
              Map<UUID, BigDecimal> credited = new HashMap<>();
              for (Row r : rows) {
                credited.put(r.getUUID(0), r.getBigDecimal(1));
              }
              return credited;
            });
  }

  public static Uni<Void> insertCreditNote(
      SqlClient sql, UUID tenant, CreditNoteRow c, Map<UUID, BigDecimal> lineAmounts) {
    UUID[] lineIds = lineAmounts.keySet().toArray(UUID[]::new);
    String[] amounts = new String[lineIds.length];
    for (int k = 0; k < lineIds.length; k++) {
      amounts[k] = lineAmounts.get(lineIds[k]).toPlainString();
    }
    return sql.preparedQuery(
            "insert into credit_note (id, tenant_id, invoice_id, seq, number, reason, subtotal,"
                + " discount, tax, total, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                + " $10, $11)")
        .execute(
            Tuple.from(
                Arrays.asList(
                    c.id(),
                    tenant,
                    c.invoiceId(),
                    c.seq(),
                    c.number(),
                    c.reason(),
                    c.subtotal(),
                    c.discount(),
                    c.tax(),
                    c.total(),
                    utc(c.createdAt()))))
        .chain(
            () ->
                sql.preparedQuery(
                        "insert into credit_note_line (credit_note_id, tenant_id, invoice_line_id,"
                            + " amount) select $1, $2, t.line, t.amount from unnest($3::uuid[],"
                            + " $4::text[]::numeric[]) as t(line, amount)")
                    .execute(Tuple.of(c.id(), tenant, lineIds, amounts)))
        .replaceWithVoid();
  }

  public static Uni<List<CreditNoteRow>> creditNotes(SqlClient sql, UUID invoice) {
    return sql.preparedQuery(
            "select id, invoice_id, seq, number, reason, subtotal, discount, tax, total,"
                + " created_at from credit_note where invoice_id = $1 order by seq")
        .execute(Tuple.of(invoice))
        .map(
            rows -> {
              List<CreditNoteRow> notes = new ArrayList<>();
              for (Row r : rows) {
                notes.add(
                    new CreditNoteRow(
                        r.getUUID(0),
                        r.getUUID(1),
                        r.getInteger(2),
                        r.getString(3),
                        r.getString(4),
                        r.getBigDecimal(5),
                        r.getBigDecimal(6),
                        r.getBigDecimal(7),
                        r.getBigDecimal(8),
                        r.getOffsetDateTime(9).toInstant()));
              }
              return notes;
            });
  }

  /** Closes the period under a row lock, waiting for ingests that hold it shared. */
  public static Uni<Void> closePeriod(SqlClient sql, UUID tenant, Instant start, Instant end) {
    return sql.preparedQuery(
            "insert into billing_period (tenant_id, period_start, period_end, closed) values ($1,"
                + " $2, $3, true) on conflict (tenant_id, period_start) do update set closed ="
                + " true")
        .execute(Tuple.of(tenant, utc(start), utc(end)))
        .replaceWithVoid();
  }

  private static List<InvoiceRow> invoices(RowSet<Row> rows) {
    List<InvoiceRow> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(invoice(r));
    }
    return out;
  }

  private static InvoiceRow invoice(Row r) {
    return new InvoiceRow(
        r.getUUID(0),
        r.getUUID(1),
        r.getInteger(2),
        r.getString(3),
        r.getString(4),
        r.getString(5),
        r.getUUID(6),
        instant(r.getOffsetDateTime(7)),
        instant(r.getOffsetDateTime(8)),
        r.getString(9),
        r.getBigDecimal(10),
        r.getBigDecimal(11),
        r.getBigDecimal(12),
        r.getBigDecimal(13),
        r.getBigDecimal(14),
        r.getBigDecimal(15),
        instant(r.getOffsetDateTime(16)),
        instant(r.getOffsetDateTime(17)),
        instant(r.getOffsetDateTime(18)),
        instant(r.getOffsetDateTime(19)),
        instant(r.getOffsetDateTime(20)),
        r.getInteger(21));
  }

  private static OffsetDateTime utc(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
