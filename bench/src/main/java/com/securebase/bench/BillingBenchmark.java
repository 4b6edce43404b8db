package com.securebase.bench;

import com.securebase.infra.LocalInfra;
import com.securebase.infra.ServiceDatabase;
import io.vertx.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Billing figures against the built billing jar on the project's real PostgreSQL and Kafka, each
 * beside its baseline in the same run:
 *
 * <ol>
 *   <li>usage ingest through {@code POST /v1/usage} in batches of 500 (JWT, per-record checks,
 *       period locks, one multi-row insert per batch) against a plain multi-row {@code INSERT} of
 *       the same rows into a copy of the table (same keys and index, no RLS);
 *   <li>the monthly invoice run for {@code tenants} tenants over {@code records} usage records of
 *       last month (seeded in SQL), from the seed's commit to the last draft invoice, against one
 *       plain SQL {@code GROUP BY} of the same aggregation; the service's resident memory before
 *       and after the run.
 * </ol>
 *
 * Args: {@code [batches=200] [concurrency=4] [tenants=10000] [records=10000000]}.
 */
public final class BillingBenchmark {
  private static final int BATCH = 500;
  private static final String[] METRICS = {
    "accounts",
    "cloudtrail_events",
    "guardduty_findings",
    "log_storage_gb",
    "nat_gateway_gb",
    "support_hours"
  };

  public static void main(String[] args) throws Exception {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int tenants = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    long records = args.length > 3 ? Long.parseLong(args[3]) : 10_000_000L;

    LocalInfra infra = LocalInfra.shared();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Vertx vertx = Vertx.vertx();
    // The run fires every second; until the seed commits there is nothing of last month to bill.
    try (ServiceUnderBench billing =
        ServiceUnderBench.start(
            infra, "billing", Map.of("securebase.billing.invoice-run.cron", "* * * * * ?"))) {
      System.out.printf(
          "Billing benchmark (built jar, PostgreSQL and Kafka on loopback, %d cores)%n",
          Runtime.getRuntime().availableProcessors());

      // 1. Ingest vs plain multi-row INSERT.
      UUID tenant = UUID.randomUUID();
      String token = billing.token(tenant, UUID.randomUUID(), "billing");
      AtomicLong ids = new AtomicLong();
      ClosedLoop.Call post = () -> postBatch(http, billing, token, ids);
      ClosedLoop.run(Math.max(10, batches / 10), concurrency, post); // warm-up
      ClosedLoop.Result api = ClosedLoop.run(batches, concurrency, post);
      Pool pool = ownerPool(vertx, billing.database());
      ClosedLoop.Result plain;
      try {
        pool.query("create table billing.plain_usage (like billing.usage_event including all)")
            .execute()
            .await()
            .atMost(Duration.ofSeconds(10));
        AtomicLong plainIds = new AtomicLong();
        ClosedLoop.Call insert = () -> plainInsert(pool, tenant, plainIds);
        ClosedLoop.run(Math.max(10, batches / 10), concurrency, insert);
        plain = ClosedLoop.run(batches, concurrency, insert);
      } finally {
        pool.closeAndAwait();
      }
      double apiRecords = api.perSecond() * BATCH;
      double plainRecords = plain.perSecond() * BATCH;
      System.out.printf(
          "Usage ingest, batches of %d, %d in flight (%,d batches each):%n",
          BATCH, concurrency, batches);
      System.out.printf(
          "  POST /v1/usage                               %,10.0f records/s   batch %s%s%n",
          apiRecords, api.latencies().summary(), api.failureNote());
      System.out.printf(
          "  plain multi-row INSERT, same rows and keys   %,10.0f records/s   batch %s%s%n",
          plainRecords, plain.latencies().summary(), plain.failureNote());
      System.out.printf(
          "  ratio API / plain insert: %.2f (target >= 0.3)%n", apiRecords / plainRecords);
      BenchFigures.add(
          "Billing",
          "usage ingest via POST /v1/usage",
          apiRecords,
          "records/s",
          "plain multi-row INSERT",
          plainRecords);

      // 2. The monthly run vs one GROUP BY.
      YearMonth last = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
      OffsetDateTime start = last.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
      OffsetDateTime end = start.plusMonths(1);
      long rssBefore = billing.residentMiB();
      long seedStarted = System.nanoTime();
      try (Connection c = superuser(infra, billing.database())) {
        seed(c, tenants, records, start, end);
      }
      // The run starts at the first tick after the accounts' commit.
      double seedSeconds = (System.nanoTime() - seedStarted) / 1e9;
      long runStarted = System.nanoTime();
      long invoiced = 0;
      long deadline = runStarted + TimeUnit.MINUTES.toNanos(30);
      try (Connection c = superuser(infra, billing.database())) {
        while (invoiced < tenants && System.nanoTime() < deadline) {
          Thread.sleep(200);
          invoiced =
              count(c, "select count(*) from billing.invoice where period_start = '" + start + "'");
        }
        double runSeconds = (System.nanoTime() - runStarted) / 1e9;
        long rssAfter = billing.residentMiB();
        List<Double> groupBy = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          long t = System.nanoTime();
          rows(
              c,
              "select tenant_id, metric_code, count(*), sum(quantity), max(quantity) from"
                  + " billing.usage_event where occurred_at >= '"
                  + start
                  + "' and occurred_at < '"
                  + end
                  + "' group by tenant_id, metric_code");
          groupBy.add((System.nanoTime() - t) / 1e9);
        }
        double bestGroupBy = groupBy.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double runOwn = runSeconds(http, billing);
        if (System.getProperty("securebase.bench.explain") != null) {
          try (ResultSet rs =
              c.createStatement()
                  .executeQuery(
                      "explain (analyze, buffers) select u.tenant_id, u.metric_code, count(*),"
                          + " sum(u.quantity), max(u.quantity) from billing.usage_event u where"
                          + " u.tenant_id = any(array(select tenant_id from billing.tenant_account"
                          + " order by tenant_id limit 500)) and u.occurred_at >= '"
                          + start
                          + "' and u.occurred_at < '"
                          + end
                          + "' group by 1, 2")) {
            while (rs.next()) {
              System.out.println("    " + rs.getString(1));
            }
          }
        }
        System.out.printf(
            "Monthly invoice run, %,d tenants over %,d usage records of %s (seeded in %.0f s):%n",
            tenants, records, last, seedSeconds);
        System.out.printf(
            "  run, seed commit to last draft (%,d invoices, ±1 s tick)   %.1f s%s%n",
            invoiced, runSeconds, invoiced < tenants ? "   (INCOMPLETE)" : "");
        System.out.printf(
            "  the run's own timer (securebase.billing.invoice.run)          %.1f s%n", runOwn);
        System.out.printf(
            "  plain SQL GROUP BY tenant, metric, rows read (3 runs)      %s s%n",
            groupBy.stream().map(s -> String.format("%.1f", s)).toList());
        System.out.printf(
            "  ratio to the best GROUP BY: %.1f by the run's timer, %.1f seed commit to last"
                + " draft (target <= 3)%n",
            runOwn / bestGroupBy, runSeconds / bestGroupBy);
        BenchFigures.add(
            "Billing",
            "monthly run, " + tenants + " tenants (its own timer)",
            runOwn,
            "s",
            "plain SQL GROUP BY, best of 3",
            bestGroupBy);
        System.out.printf(
            "  service resident memory: %d MiB before the run, %d MiB after%n",
            rssBefore, rssAfter);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Total seconds of the runs that created invoices, from the service's Prometheus timer. */
  private static double runSeconds(HttpClient http, ServiceUnderBench billing) throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(billing.url("/q/metrics"))).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("securebase_billing_invoice_run_seconds_sum")
          && line.contains("outcome=\"created\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  private static boolean postBatch(
      HttpClient http, ServiceUnderBench billing, String token, AtomicLong ids) throws Exception {
    StringBuilder body = new StringBuilder("{\"records\":[");
    Instant now = Instant.now();
    for (int i = 0; i < BATCH; i++) {
      long id = ids.incrementAndGet();
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"transactionId\":\"b-")
          .append(id)
          .append("\",\"metricCode\":\"")
          .append(METRICS[(int) (id % METRICS.length)])
          .append("\",\"quantity\":\"")
          .append(1 + id % 97)
          .append("\",\"timestamp\":\"")
          .append(now.minusSeconds(id % 3600))
          .append("\"}");
    }
    body.append("]}");
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(billing.url("/v1/usage")))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 && response.body().contains("\"accepted\":" + BATCH);
  }

  /** The same 500 rows as one plain multi-row INSERT (8 parameters a row). */
  private static boolean plainInsert(Pool pool, UUID tenant, AtomicLong ids) {
    StringBuilder sql =
        new StringBuilder(
            "insert into billing.plain_usage (tenant_id, transaction_id, metric_code, quantity,"
                + " occurred_at, properties, payload_hash, received_at) values ");
    List<Object> params = new ArrayList<>(BATCH * 8);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (int i = 0; i < BATCH; i++) {
      long id = ids.incrementAndGet();
      int p = i * 8;
      sql.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  "($%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d)",
                  p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8));
      params.add(tenant);
      params.add("p-" + id);
      params.add(METRICS[(int) (id % METRICS.length)]);
      params.add(java.math.BigDecimal.valueOf(1 + id % 97));
      params.add(now.minusSeconds(id % 3600));
      params.add(new io.vertx.core.json.JsonObject());
      params.add(io.vertx.core.buffer.Buffer.buffer(new byte[32]));
      params.add(now);
    }
    pool.preparedQuery(sql.toString())
        .execute(Tuple.from(params))
        .await()
        .atMost(Duration.ofSeconds(30));
    return true;
  }

  /**
   * {@code records} usage rows of last month, vacuumed (so neither the run nor the baseline pays
   * for first-read hint bits), then the tenants' accounts: only from that commit on does the
   * service see tenants to invoice, so the run starts after the seed is complete.
   */
  private static void seed(
      Connection c, int tenants, long records, OffsetDateTime start, OffsetDateTime end)
      throws SQLException {
    try (PreparedStatement usage =
            c.prepareStatement(
                "insert into billing.usage_event (tenant_id, transaction_id, metric_code, quantity,"
                    + " occurred_at, payload_hash, received_at) select md5('bench-' || (1 + i % ?))::uuid,"
                    + " 's-' || i, (array['accounts','cloudtrail_events','guardduty_findings',"
                    + "'log_storage_gb','nat_gateway_gb','support_hours'])[1 + (i / ?) % 6], 1 + i % 97,"
                    + " ?::timestamptz + (i % 2592000) * interval '1 second' * (extract(epoch from ?::timestamptz - ?::timestamptz) / 2592000),"
                    + " '\\x00', now() from generate_series(1, ?) i");
        PreparedStatement accounts =
            c.prepareStatement(
                "insert into billing.tenant_account (tenant_id, name, tier, tax_rate, tenant_version,"
                    + " updated_at) select md5('bench-' || t)::uuid, 'Tenant ' || t,"
                    + " (array['standard','fintech','healthcare','government'])[1 + t % 4], 0.08, 1,"
                    + " now() from generate_series(1, ?) t")) {
      usage.setInt(1, tenants);
      usage.setInt(2, tenants);
      usage.setObject(3, start);
      usage.setObject(4, end);
      usage.setObject(5, start);
      usage.setLong(6, records);
      usage.executeUpdate();
      try (var s = c.createStatement()) {
        s.execute("vacuum analyze billing.usage_event");
      }
      accounts.setInt(1, tenants);
      accounts.executeUpdate();
    }
  }

  /** Reads every row of a query's answer, as a client of the aggregation would. */
  private static long rows(Connection c, String sql) throws SQLException {
    long n = 0;
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        rs.getBigDecimal(4);
        n++;
      }
    }
    return n;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Pool ownerPool(Vertx vertx, ServiceDatabase db) {
    PgConnectOptions options =
        PgConnectOptions.fromUri(db.reactiveUrl())
            .setUser(db.ownerUser())
            .setPassword(db.ownerPassword());
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(20))
        .connectingTo(options)
        .using(io.vertx.mutiny.core.Vertx.newInstance(vertx))
        .build();
  }

  private static Connection superuser(LocalInfra infra, ServiceDatabase db) throws SQLException {
    return DriverManager.getConnection(
        infra.postgres().jdbcUrl(db.database()), infra.postgres().superuser(), "");
  }
}
