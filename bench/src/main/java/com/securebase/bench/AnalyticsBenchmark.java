package com.securebase.bench;

import com.securebase.infra.LocalInfra;
import com.securebase.infra.ServiceDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Analytics over {@code points} metric points of one tenant (30 days, 4 regions x 8 services x 12
 * accounts, a tag), seeded with SQL and rolled up as the service's inserts would roll them up. The
 * group-by (per day, by region and service) through the API, the cache off, beside the same
 * aggregation as hand-written SQL on the same tables in the same run: the hourly rollup the API
 * reads, and the raw points; then p95, which needs the raw points, the same way. Then 10,000- and
 * 100,000-row CSV and Excel exports: time, and the service's heap sampled during each (used, and
 * live after the last collection), to show memory does not grow with the rows.
 *
 * <p>Args: {@code [points=10000000] [queries=30]}.
 */
public final class AnalyticsBenchmark {
  private static final String METRIC = "api.requests";
  private static final Pattern HEAP_USED =
      Pattern.compile(
          "^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} ([0-9.E+]+)", Pattern.MULTILINE);
  private static final Pattern LIVE =
      Pattern.compile("^jvm_gc_live_data_size_bytes(\\{[^}]*})? ([0-9.E+]+)", Pattern.MULTILINE);

  public static void main(String[] args) throws Exception {
    long points = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    LocalInfra infra = LocalInfra.shared();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (ServiceUnderBench analytics =
        ServiceUnderBench.start(
            infra, "analytics", Map.of("securebase.analytics.cache-ttl", "0s"))) {
      UUID tenant = UUID.randomUUID();
      String token = analytics.token(tenant, UUID.randomUUID(), "analyst");
      Instant to = Instant.now().truncatedTo(ChronoUnit.DAYS);
      Instant from = to.minus(Duration.ofDays(30));
      System.out.printf(
          "Analytics benchmark (built jar, PostgreSQL on loopback, %d cores)%n",
          Runtime.getRuntime().availableProcessors());
      long seeded = System.nanoTime();
      try (Connection c = superuser(infra, analytics.database())) {
        seed(c, tenant, points, from, to);
      }
      System.out.printf(
          "  seeded %,d points and their hourly rollup in %.0f s%n",
          points, (System.nanoTime() - seeded) / 1e9);

      String groupBy =
          "{\"metrics\":[\""
              + METRIC
              + "\"],\"aggregations\":[\"sum\",\"avg\",\"count\"],"
              + "\"groupBy\":[\"region\",\"service\"],\"from\":\""
              + from
              + "\",\"to\":\""
              + to
              + "\",\"bucket\":\"day\",\"limit\":10000}";
      // p95 reads every point of its range: over all 30 days it is past the 5 s query limit on two
      // cores, so it is measured over the last day (a thirtieth of the points), beside its SQL.
      Instant dayStart = to.minus(Duration.ofDays(1));
      String p95 =
          groupBy
              .replace("[\"sum\",\"avg\",\"count\"]", "[\"p95\"]")
              .replace("\"from\":\"" + from + "\"", "\"from\":\"" + dayStart + "\"");
      String rollupSql =
          "select date_trunc('day', hour, 'UTC'), region, service, sum(total), sum(total) / sum(n),"
              + " sum(n) from analytics.metric_rollup_hour where tenant_id = ? and metric = ? and"
              + " hour >= ? and hour < ? group by 1, 2, 3 order by 1, 2, 3";
      String rawSql =
          "select date_trunc('day', ts, 'UTC'), region, service, sum(value), avg(value), count(*)"
              + " from analytics.metric_point where tenant_id = ? and metric = ? and ts >= ? and ts"
              + " < ? group by 1, 2, 3 order by 1, 2, 3";
      String p95Sql =
          "select date_trunc('day', ts, 'UTC'), region, service, percentile_cont(0.95) within group"
              + " (order by value) from analytics.metric_point where tenant_id = ? and metric = ?"
              + " and ts >= ? and ts < ? group by 1, 2, 3 order by 1, 2, 3";

      System.out.printf(
          "Group-by per day by region and service over %,d points (%d runs each, after 3 warm-up):%n",
          points, queries);
      Latencies api =
          measure(
              queries,
              () ->
                  post(
                      http,
                      analytics,
                      token,
                      "/v1/analytics/query",
                      groupBy,
                      "\"source\":\"rollup\"",
                      960));
      Latencies rollup;
      Latencies raw;
      Latencies apiP95;
      Latencies rawP95;
      Latencies scoped;
      try (Connection app = appRole(analytics.database(), tenant)) {
        scoped = measure(queries, () -> sql(app, rollupSql, tenant, from, to) == 960);
        if (System.getProperty("securebase.bench.explain") != null) {
          explain(app, rollupSql, tenant, from, to);
        }
      }
      try (Connection c = superuser(infra, analytics.database())) {
        if (System.getProperty("securebase.bench.explain") != null) {
          explain(c, rollupSql, tenant, from, to);
        }
        rollup = measure(queries, () -> sql(c, rollupSql, tenant, from, to) == 960);
        raw = measure(Math.max(3, queries / 5), () -> sql(c, rawSql, tenant, from, to) == 960);
        apiP95 =
            measure(
                Math.max(3, queries / 5),
                () ->
                    post(
                        http,
                        analytics,
                        token,
                        "/v1/analytics/query",
                        p95,
                        "\"source\":\"points\"",
                        32));
        rawP95 =
            measure(Math.max(3, queries / 5), () -> sql(c, p95Sql, tenant, dayStart, to) == 32);
      }
      System.out.printf("  POST /v1/analytics/query (sum, avg, count)    %s%n", api.summary());
      System.out.printf("  hand SQL on the hourly rollup                 %s%n", rollup.summary());
      System.out.printf("  the same as the service's role, under RLS     %s%n", scoped.summary());
      System.out.printf("  hand SQL on the raw points                    %s%n", raw.summary());
      System.out.printf(
          "  ratio API / hand SQL on the same (rollup) table: p50 %.2f (target <= 1.5; p50 target < 500 ms)%n",
          api.millis(0.5) / rollup.millis(0.5));
      System.out.printf(
          "p95 over the last day's %,d points, by region and service:%n", points / 30);
      System.out.printf("  POST /v1/analytics/query (p95, raw points)    %s%n", apiP95.summary());
      System.out.printf("  hand SQL percentile_cont(0.95), raw points    %s%n", rawP95.summary());
      System.out.printf(
          "  ratio API / hand SQL (p95): p50 %.2f%n", apiP95.millis(0.5) / rawP95.millis(0.5));
      BenchFigures.add(
          "Analytics",
          "query p50, group-by per day over " + points + " points",
          api.millis(0.5),
          "ms",
          "hand SQL on the same rollup",
          rollup.millis(0.5));
      BenchFigures.add(
          "Analytics",
          "p95 query p50, last day's raw points",
          apiP95.millis(0.5),
          "ms",
          "hand SQL percentile_cont",
          rawP95.millis(0.5));

      // Hourly rows by region, service and account: 384 groups x 720 hours, cut at the limit.
      System.out.println("Exports (hourly by region, service and account, streamed):");
      for (String format : List.of("csv", "xlsx")) {
        for (int rows : List.of(10_000, 100_000)) {
          String body =
              "{\"metrics\":[\""
                  + METRIC
                  + "\"],\"aggregations\":[\"sum\",\"max\"],"
                  + "\"groupBy\":[\"region\",\"service\",\"account\"],\"from\":\""
                  + from
                  + "\",\"to\":\""
                  + to
                  + "\",\"bucket\":\"hour\",\"limit\":"
                  + rows
                  + "}";
          export(http, analytics, token, format, rows, body, false); // warm-up
          export(http, analytics, token, format, rows, body, true);
        }
      }
      System.out.printf(
          "  service resident memory after the exports: %d MiB%n", analytics.residentMiB());
    }
  }

  private interface Timed {
    boolean run() throws Exception;
  }

  private static Latencies measure(int runs, Timed call) throws Exception {
    for (int i = 0; i < 3; i++) {
      check(call.run());
    }
    Latencies l = new Latencies();
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      check(call.run());
      l.add(System.nanoTime() - t);
    }
    return l;
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("a measured call did not give the expected answer");
    }
  }

  private static boolean post(
      HttpClient http,
      ServiceUnderBench s,
      String token,
      String path,
      String body,
      String expect,
      int rows)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(s.url(path)))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200
        || !r.body().contains(expect)
        || !r.body().contains("\"rowCount\":" + rows + ",")) {
      System.out.println(
          "  unexpected answer "
              + r.statusCode()
              + ": "
              + r.body().substring(0, Math.min(300, r.body().length())));
      return false;
    }
    return true;
  }

  private static int sql(Connection c, String sql, UUID tenant, Instant from, Instant to)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, tenant);
      ps.setString(2, METRIC);
      ps.setTimestamp(3, Timestamp.from(from));
      ps.setTimestamp(4, Timestamp.from(to));
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rs.getDouble(rs.getMetaData().getColumnCount());
          n++;
        }
      }
      return n;
    }
  }

  /** One export read to the end; the heap is sampled every 20 ms while it runs. */
  private static void export(
      HttpClient http,
      ServiceUnderBench s,
      String token,
      String format,
      int rows,
      String body,
      boolean measured)
      throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong peakUsed = new AtomicLong();
    AtomicLong peakLive = new AtomicLong();
    Thread sampler =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (running.get()) {
                    try {
                      String m =
                          http.send(
                                  HttpRequest.newBuilder(URI.create(s.url("/q/metrics"))).build(),
                                  HttpResponse.BodyHandlers.ofString())
                              .body();
                      peakUsed.accumulateAndGet(sum(HEAP_USED, m, 1), Math::max);
                      peakLive.accumulateAndGet(sum(LIVE, m, 2), Math::max);
                      Thread.sleep(20);
                    } catch (Exception e) {
                      return;
                    }
                  }
                });
    long t = System.nanoTime();
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(s.url("/v1/analytics/query/export?format=" + format)))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    double seconds = (System.nanoTime() - t) / 1e9;
    running.set(false);
    sampler.join();
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "export answered "
              + r.statusCode()
              + ": "
              + new String(r.body(), 0, Math.min(300, r.body().length)));
    }
    long lines = 0;
    if (format.equals("csv")) {
      for (byte b : r.body()) {
        lines += b == '\n' ? 1 : 0;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  %-4s %,7d rows   %5.2f s   %6.1f MB   peak heap used %4d MiB, live after GC %4d MiB%s%n",
        format,
        rows,
        seconds,
        r.body().length / 1e6,
        peakUsed.get() >> 20,
        peakLive.get() >> 20,
        format.equals("csv") && lines != rows + 1 ? "   (" + (lines - 1) + " ROWS)" : "");
    if (measured) {
      BenchFigures.add("Analytics", format + " export of " + rows + " rows", seconds, "s");
    }
  }

  private static long sum(Pattern p, String metrics, int group) {
    Matcher m = p.matcher(metrics);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(group));
    }
    return (long) total;
  }

  /**
   * {@code points} points of one tenant over [from, to), spread evenly, in the partitions the
   * migration created; then the hourly rollup exactly as the service's insert keeps it, and the
   * metric's name. Vacuumed and analysed, as a long-running table would be.
   */
  private static void seed(Connection c, UUID tenant, long points, Instant from, Instant to)
      throws SQLException {
    try (var s = c.createStatement()) {
      s.execute(
          "select analytics.analytics_ensure_partition(d::date) from generate_series(date_trunc('month', '"
              + from
              + "'::timestamptz), '"
              + to
              + "'::timestamptz, interval '1 month') d");
    }
    double step = Duration.between(from, to).toMillis() / 1000.0 / points;
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into analytics.metric_point (tenant_id, ts, point_id, metric, value, region,"
                + " service, account, tags, received_at) select ?::uuid, ?::timestamptz + i * ? *"
                + " interval '1 second', 'p' || i, ?, (i * 7919) % 1000 / 10.0, (array['eu-west-1',"
                + "'us-east-1','us-west-2','ap-south-1'])[1 + i % 4], 'svc-' || (i / 4) % 8, 'acct-' ||"
                + " (i / 32) % 12, jsonb_build_object('env', (array['prod','stage','dev'])[1 + i % 3]),"
                + " now() from generate_series(0, ? - 1) i")) {
      ps.setObject(1, tenant);
      ps.setTimestamp(2, Timestamp.from(from));
      ps.setDouble(3, step);
      ps.setString(4, METRIC);
      ps.setLong(5, points);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into analytics.metric_rollup_hour (tenant_id, metric, hour, region, service,"
                + " account, n, total, low, high) select tenant_id, metric, date_trunc('hour', ts,"
                + " 'UTC'), region, service, account, count(*), sum(value), min(value), max(value) from"
                + " analytics.metric_point where tenant_id = ? group by 1, 2, 3, 4, 5, 6")) {
      ps.setObject(1, tenant);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into analytics.metric_name (tenant_id, metric, first_seen, last_seen) values (?, ?, now(), now())")) {
      ps.setObject(1, tenant);
      ps.setString(2, METRIC);
      ps.executeUpdate();
    }
    try (var s = c.createStatement()) {
      s.execute("vacuum analyze analytics.metric_point");
      s.execute("vacuum analyze analytics.metric_rollup_hour");
    }
  }

  /** The service's own role, scoped to the tenant as the service scopes every transaction. */
  private static Connection appRole(ServiceDatabase db, UUID tenant) throws SQLException {
    Connection c = DriverManager.getConnection(db.jdbcUrl(), db.appUser(), db.appPassword());
    try (PreparedStatement ps =
        c.prepareStatement("select set_config('securebase.tenant_id', ?, false)")) {
      ps.setString(1, tenant.toString());
      ps.execute();
    }
    return c;
  }

  private static void explain(Connection c, String sql, UUID tenant, Instant from, Instant to)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("explain (analyze, buffers) " + sql)) {
      ps.setObject(1, tenant);
      ps.setString(2, METRIC);
      ps.setTimestamp(3, Timestamp.from(from));
      ps.setTimestamp(4, Timestamp.from(to));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          System.out.println("    " + rs.getString(1));
        }
      }
    }
  }

  private static Connection superuser(LocalInfra infra, ServiceDatabase db) throws SQLException {
    return DriverManager.getConnection(
        infra.postgres().jdbcUrl(db.database()), infra.postgres().superuser(), "");
  }
}
