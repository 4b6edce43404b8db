package com.securebase.bench;

import com.securebase.infra.LocalInfra;
import com.securebase.infra.ServiceDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Support figures against the built support jar on the project's real PostgreSQL and Kafka:
 *
 * <ol>
 *   <li>ticket-create throughput through the API (JWT, validation, one RLS-scoped statement writing
 *       the ticket row and its outbox event) as a ratio to plain single-row inserts on the same
 *       Postgres, same concurrency and the same pool size as the service (20), every path sent from
 *       one Vert.x event loop and warmed up until the JIT compilers have settled;
 *   <li>list and search latency p50/p99 through the API over {@code tickets} tickets of one tenant
 *       (seeded in SQL with generated text from a vocabulary of a few hundred support words, one
 *       rare word in 1 ticket of 1,000), one request at a time.
 * </ol>
 *
 * Args: {@code [creates=5000] [concurrency=16] [tickets=100000] [queries=300]}.
 */
public final class SupportBenchmark {
  private static final String RARE_WORD = "kerberos";
  private static final String COMMON_WORD = "invoice";

  /**
   * Calls made on each path before it is measured, at least (with 2,000, the service's JIT compiler
   * still took as much CPU as its event loops while it was timed). Each path then goes on in rounds
   * of {@link #WARM_UP_ROUND} calls until the JIT compilers of the service and of this JVM use
   * under {@link #JIT_SETTLED} of a core in two rounds running, or {@link #MAX_WARM_UP_ROUNDS}
   * rounds have run: after a fixed 15,000 creates the service's C2 compiler still used 42–46 % of a
   * core throughout the timed run (JFR, 2026-12-04), so the figure was of a service still being
   * compiled.
   */
  private static final int WARM_UP = 15_000;

  private static final int WARM_UP_ROUND = 5_000;
  private static final int MAX_WARM_UP_ROUNDS = 12;
  private static final double JIT_SETTLED = 0.05;

  public static void main(String[] args) throws Exception {
    int creates = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int ticketCount = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    int queries = args.length > 3 ? Integer.parseInt(args[3]) : 300;

    LocalInfra infra = LocalInfra.shared();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Vertx vertx = Vertx.vertx();
    try (ServiceUnderBench support = ServiceUnderBench.start(infra, "support", Map.of())) {
      UUID tenant = UUID.randomUUID();
      Api api = new Api(http, support, support.token(tenant, UUID.randomUUID(), "support"));

      // 1. Create throughput vs plain inserts. All three paths are sent from one Vert.x event loop
      // (the API's creates by Vert.x's HTTP client, the baselines by the reactive PG client): the
      // JDK client's thread hand-offs took a share of the two cores the service under test needs
      // (1,554 vs 371 tickets/s SQL alone vs the API), and 16 threads blocking on the PG client
      // held the baselines back the same way (plain inserts 3,500-4,800/s, from a loop
      // 5,800-10,900).
      EventLoopLoad load = new EventLoopLoad(vertx);
      EventLoopLoad.Target create = api.createTarget();
      List<CompilerThreads> compilers =
          List.of(support.compilerThreads(), new CompilerThreads(ProcessHandle.current().pid()));
      Timed viaApi =
          warmThenTime("the API", compilers, creates, n -> load.closedLoop(create, n, concurrency));
      Pool pool = plainInsertPool(vertx, support.database());
      Timed plain;
      Timed sqlOnly;
      try {
        plain =
            warmThenTime(
                "the plain insert",
                compilers,
                creates * 2,
                n -> load.closedLoop(() -> plainInsert(pool), n, concurrency));
        sqlOnly =
            warmThenTime(
                "the SQL alone",
                compilers,
                creates * 2,
                n -> load.closedLoop(() -> ticketWithOutbox(pool, tenant), n, concurrency));
      } finally {
        pool.closeAndAwait();
      }

      System.out.printf(
          "Support benchmark (built jar, PostgreSQL and Kafka on loopback, %d cores)%n",
          Runtime.getRuntime().availableProcessors());
      System.out.printf("Ticket create, %d in flight (%,d each):%n", concurrency, creates);
      System.out.printf(
          "  POST /v1/support/tickets (ticket + outbox event, one statement)  %,.0f tickets/s   %s%s%n",
          viaApi.perSecond(), viaApi.latencies().summary(), viaApi.failureNote());
      System.out.printf(
          "  plain single-row INSERT, same Postgres, pool 20 (%,d)               %,.0f rows/s      %s%s%n",
          plain.latencies().count(),
          plain.perSecond(),
          plain.latencies().summary(),
          plain.failureNote());
      System.out.printf(
          "  the create's SQL alone (tenant scope + ticket + outbox event, one statement)  %,.0f tickets/s   %s%s%n",
          sqlOnly.perSecond(), sqlOnly.latencies().summary(), sqlOnly.failureNote());
      System.out.printf(
          "  ratio create / plain insert: %.2f through the API, %.2f for its SQL alone%n",
          viaApi.perSecond() / plain.perSecond(), sqlOnly.perSecond() / plain.perSecond());
      System.out.printf(
          "  JIT compilers (the service's and the benchmark's) while timed: %.0f %%, %.0f %%, %.0f %%"
              + " of a core%n",
          viaApi.compilerShare() * 100, plain.compilerShare() * 100, sqlOnly.compilerShare() * 100);
      BenchFigures.add(
          "Support",
          "ticket create via the API (with its event)",
          viaApi.perSecond(),
          "per s",
          "plain single-row INSERT",
          plain.perSecond());
      BenchFigures.add(
          "Support",
          "the create's SQL alone",
          sqlOnly.perSecond(),
          "per s",
          "plain single-row INSERT",
          plain.perSecond());

      // 2. List and search over a second tenant with ticketCount tickets (how many the first one
      // created depends on how long its warm-up took), beside the first one's in the same table.
      UUID searched = UUID.randomUUID();
      Api reader = new Api(http, support, support.token(searched, UUID.randomUUID(), "support"));
      String ofTenant = "tenant_id = '" + searched + "'";
      long seedStart = System.nanoTime();
      seed(infra, support.database(), searched, ticketCount);
      double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
      long total = count(infra, support.database(), ofTenant);
      long rare =
          count(
              infra,
              support.database(),
              ofTenant + " and search @@ to_tsquery('english', 'kerberos')");
      long common =
          count(
              infra,
              support.database(),
              ofTenant + " and search @@ to_tsquery('english', 'invoice')");
      String rareQ = "q=" + RARE_WORD + "&sort=relevance";
      String commonQ = "q=" + COMMON_WORD + "&sort=relevance";
      String commonNewest = "q=" + COMMON_WORD + "&sort=-createdAt";
      String twoWords = "q=" + URLEncoder.encode("refund failed", StandardCharsets.UTF_8);
      String filtered = "status=open&priority=high";
      for (String warm : List.of("", filtered, rareQ, commonQ, commonNewest, twoWords)) {
        for (int i = 0; i < 50; i++) {
          reader.list(warm, null);
        }
      }
      Latencies newest = reader.timeList("", queries);
      Latencies byFilter = reader.timeList(filtered, queries);
      Latencies deepPages = reader.timePages("sort=createdAt", queries);
      Latencies rareSearch = reader.timeList(rareQ, queries);
      Latencies commonSearch = reader.timeList(commonQ, queries);
      Latencies commonByDate = reader.timeList(commonNewest, queries);
      Latencies twoWordSearch = reader.timeList(twoWords, queries);

      System.out.printf(
          "List and search over %,d tickets of one tenant (seeded in %.1f s), %,d requests each, limit 25:%n",
          total, seedSeconds, queries);
      print("newest first", newest);
      print("status=open&priority=high", byFilter);
      print("oldest first, following cursors", deepPages);
      print("search rare word (" + rare + " matches), relevance", rareSearch);
      print("search common word (" + common + " matches), relevance", commonSearch);
      print("search common word, newest first", commonByDate);
      print("search \"refund failed\" (both words), newest first", twoWordSearch);
      BenchFigures.add(
          "Support", "list newest first, p99 (" + total + " tickets)", newest.millis(0.99), "ms");
      BenchFigures.add(
          "Support", "search common word, relevance, p99", commonSearch.millis(0.99), "ms");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static void print(String what, Latencies latencies) {
    System.out.printf("  %-55s %s%n", what, latencies.summary());
  }

  /** The support API as a staff user of one tenant sees it. */
  private record Api(HttpClient http, ServiceUnderBench support, String token) {
    /** POST /v1/support/tickets, answered 201. */
    EventLoopLoad.Target createTarget() {
      Buffer body =
          new JsonObject()
              .put("subject", "Cannot download invoice PDF")
              .put("description", "The invoice download fails with a timeout after the refund.")
              .put("priority", "high")
              .put("tags", List.of("billing", "pdf"))
              .toBuffer();
      return new EventLoopLoad.Target(
          support.port,
          HttpMethod.POST,
          "/v1/support/tickets",
          Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
          body,
          201);
    }

    JsonObject list(String query, String cursor) throws IOException, InterruptedException {
      String q = query + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<String> page =
          http.send(
              request("/v1/support/tickets?" + q).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (page.statusCode() != 200) {
        throw new IllegalStateException("GET ?" + q + ": " + page.statusCode() + page.body());
      }
      return new JsonObject(page.body());
    }

    Latencies timeList(String query, int n) throws IOException, InterruptedException {
      Latencies latencies = new Latencies();
      for (int i = 0; i < n; i++) {
        long sent = System.nanoTime();
        JsonObject page = list(query, null);
        latencies.add(System.nanoTime() - sent);
        if (page.getJsonArray("items").isEmpty()) {
          throw new IllegalStateException("No results for ?" + query);
        }
      }
      return latencies;
    }

    /** n consecutive pages, each fetched with the previous page's cursor. */
    Latencies timePages(String query, int n) throws IOException, InterruptedException {
      Latencies latencies = new Latencies();
      String cursor = null;
      for (int i = 0; i < n; i++) {
        long sent = System.nanoTime();
        JsonObject page = list(query, cursor);
        latencies.add(System.nanoTime() - sent);
        cursor = page.getString("nextCursor");
        if (cursor == null) {
          throw new IllegalStateException("Ran out of pages after " + i);
        }
        cursor = URLEncoder.encode(cursor, StandardCharsets.UTF_8);
      }
      return latencies;
    }

    private HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(URI.create(support.url(path)))
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + token);
    }
  }

  /** A timed run, with the share of a core the JIT compilers used meanwhile. */
  private record Timed(ClosedLoop.Result result, double compilerShare) {
    double perSecond() {
      return result.perSecond();
    }

    Latencies latencies() {
      return result.latencies();
    }

    String failureNote() {
      return result.failureNote();
    }
  }

  @FunctionalInterface
  private interface Calls {
    ClosedLoop.Result run(int calls) throws Exception;
  }

  /**
   * {@link #WARM_UP} calls, then rounds of {@link #WARM_UP_ROUND} until the compilers have settled
   * in two rounds running (each round printed), then {@code total} timed calls; every path is
   * warmed up by the same rule.
   */
  private static Timed warmThenTime(
      String what, List<CompilerThreads> compilers, int total, Calls calls) throws Exception {
    calls.run(WARM_UP);
    int settledRounds = 0;
    for (int round = 1; round <= MAX_WARM_UP_ROUNDS && settledRounds < 2; round++) {
      Timed warm = timed(compilers, WARM_UP_ROUND, calls);
      System.out.printf(
          "  warm-up of %s, round %d: %,.0f calls/s, JIT compilers %.0f %% of a core%n",
          what, round, warm.perSecond(), warm.compilerShare() * 100);
      // Two quiet rounds in a row: after one, a recompilation can still follow.
      settledRounds = warm.compilerShare() < JIT_SETTLED ? settledRounds + 1 : 0;
    }
    return timed(compilers, total, calls);
  }

  private static Timed timed(List<CompilerThreads> compilers, int n, Calls calls) throws Exception {
    double before = compilerSeconds(compilers);
    ClosedLoop.Result result = calls.run(n);
    double used = compilerSeconds(compilers) - before;
    // Where /proc cannot tell (not Linux), the share reads 0 and the fixed warm-up alone applies.
    return new Timed(result, before < 0 ? 0 : used / (result.nanos() / 1e9));
  }

  private static double compilerSeconds(List<CompilerThreads> compilers) {
    double sum = 0;
    for (CompilerThreads c : compilers) {
      double seconds = c.cpuSeconds();
      if (seconds < 0) {
        return -1;
      }
      sum += seconds;
    }
    return sum;
  }

  /** The baseline table: one row of similar width per insert, a primary key, nothing else. */
  private static Pool plainInsertPool(Vertx vertx, ServiceDatabase db) {
    PgConnectOptions options =
        PgConnectOptions.fromUri(db.reactiveUrl())
            .setUser(db.ownerUser())
            .setPassword(db.ownerPassword());
    Pool pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(20))
            .connectingTo(options)
            .using(io.vertx.mutiny.core.Vertx.newInstance(vertx))
            .build();
    pool.query(
            "create table support.plain_insert (id uuid primary key, tenant_id uuid not null,"
                + " subject text not null, description text not null, priority text not null,"
                + " created_at timestamptz not null)")
        .execute()
        .await()
        .atMost(Duration.ofSeconds(10));
    return pool;
  }

  private static Future<Long> plainInsert(Pool pool) {
    return EventLoopLoad.timed(
        () ->
            pool.getDelegate()
                .preparedQuery(
                    "insert into support.plain_insert (id, tenant_id, subject, description,"
                        + " priority, created_at) values ($1, $2, $3, $4, $5, $6)")
                .execute(
                    Tuple.of(
                        UUID.randomUUID(),
                        UUID.randomUUID(),
                        "Cannot download invoice PDF",
                        "The invoice download fails with a timeout after the refund.",
                        "high",
                        OffsetDateTime.now())));
  }

  /**
   * What a create writes, in one transaction, without HTTP, JWT, validation or Hibernate. The event
   * row is written already marked published: its data is not a full catalog event, and the
   * service's relay must not put it on the shared broker.
   */
  private static Future<Long> ticketWithOutbox(Pool pool, UUID tenant) {
    UUID id = UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now();
    // Sent as the service sends it (TicketRows): the scope and both inserts in one statement.
    return EventLoopLoad.timed(
        () ->
            pool.getDelegate()
                .preparedQuery(
                    "with scope as materialized (select set_config('securebase.tenant_id', $1, true),"
                        + " set_config('securebase.system_scope', 'off', true)),"
                        + " t as (insert into support.ticket (id, tenant_id, subject, description, priority,"
                        + " status, requester_id, first_response_due_at, version, created_at, updated_at)"
                        + " select $2::uuid, $3::uuid, $4::text, $5::text, 'high', 'open', $6::uuid,"
                        + " $7::timestamptz, 1, $8::timestamptz, $8::timestamptz from scope),"
                        + " e as (insert into support.outbox_event (event_id, topic, tenant_id, event_type,"
                        + " source, subject, occurred_at, data, published_at) select $9::uuid,"
                        + " 'securebase.support.events', $1, 'securebase.support.ticket.created',"
                        + " '/securebase/support', $10::text, $8::timestamptz, cast($11::text as json), now()"
                        + " from scope) select 1")
                .execute(
                    Tuple.tuple(
                        List.of(
                            tenant.toString(),
                            id,
                            tenant,
                            "Cannot download invoice PDF",
                            "The invoice download fails with a timeout after the refund.",
                            UUID.randomUUID(),
                            now.plusHours(4),
                            now,
                            UUID.randomUUID(),
                            id.toString(),
                            "{\"ticketId\":\"" + id + "\",\"priority\":\"high\"}"))));
  }

  /**
   * {@code n} tickets for {@code tenant} in one statement: subjects of 6 and descriptions of 40
   * words drawn from the vocabulary, one ticket in 1,000 mentioning the rare word, spread over 50
   * requesters, four statuses and priorities, one per minute going back in time.
   */
  private static void seed(LocalInfra infra, ServiceDatabase db, UUID tenant, int n)
      throws SQLException {
    String sql =
        """
        insert into support.ticket (id, tenant_id, subject, description, priority, status,
            requester_id, tags, first_response_due_at, version, created_at, updated_at)
        select gen_random_uuid(), ?, subj.text,
               desc_words.text || case when s.i % 1000 = 0 then ' kerberos' else '' end,
               (array['critical','high','medium','low'])[1 + s.i % 4],
               (array['open','in_progress','resolved','closed'])[1 + (s.i / 4) % 4],
               requesters.ids[1 + s.i % 50], 'seeded', now() - s.i * interval '1 minute' + interval '1 hour',
               1, now() - s.i * interval '1 minute', now() - s.i * interval '1 minute'
        from generate_series(1, ?) s(i)
        cross join (select ?::text[] as w) vocab
        cross join (select array_agg(gen_random_uuid()) as ids from generate_series(1, 50)) requesters
        cross join lateral (select string_agg(vocab.w[1 + floor(random() * array_length(vocab.w, 1))::int + 0 * g], ' ') as text
                            from generate_series(1, 6 + 0 * s.i) g) subj
        cross join lateral (select string_agg(vocab.w[1 + floor(random() * array_length(vocab.w, 1))::int + 0 * g], ' ') as text
                            from generate_series(1, 40 + 0 * s.i) g) desc_words
        """;
    try (Connection c = superuser(infra, db);
        PreparedStatement insert = c.prepareStatement(sql)) {
      insert.setObject(1, tenant);
      insert.setInt(2, n);
      insert.setArray(3, c.createArrayOf("text", Vocabulary.WORDS));
      insert.executeUpdate();
      c.createStatement().execute("analyze support.ticket");
    }
  }

  private static long count(LocalInfra infra, ServiceDatabase db, String where)
      throws SQLException {
    try (Connection c = superuser(infra, db);
        ResultSet rs =
            c.createStatement()
                .executeQuery("select count(*) from support.ticket where " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection superuser(LocalInfra infra, ServiceDatabase db) throws SQLException {
    return DriverManager.getConnection(
        infra.postgres().jdbcUrl(db.database()), infra.postgres().superuser(), "");
  }
}
