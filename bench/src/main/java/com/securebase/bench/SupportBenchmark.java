package com.securebase.bench;

import com.securebase.infra.LocalInfra;
import com.securebase.infra.ServiceDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
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
 *       Postgres, same concurrency and the same pool size as the service (20);
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
   * Calls made on each path before it is measured, alike for the API and the plain insert: with
   * 2,000, the service's JIT compiler still took as much CPU as its event loops while it was timed.
   */
  private static final int WARM_UP = 15_000;

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

      // 1. Create throughput vs plain inserts (warm-up first for both). The creates are sent by
      // Vert.x's client from one event loop: the JDK client's thread hand-offs took a share of the
      // two cores the service under test needs (1,554 vs 371 tickets/s SQL alone vs the API).
      EventLoopLoad load = new EventLoopLoad(vertx);
      EventLoopLoad.Target create = api.createTarget();
      load.closedLoop(create, WARM_UP, concurrency);
      ClosedLoop.Result viaApi = load.closedLoop(create, creates, concurrency);
      Pool pool = plainInsertPool(vertx, support.database());
      ClosedLoop.Result plain;
      ClosedLoop.Result sqlOnly;
      try {
        ClosedLoop.run(WARM_UP, concurrency, () -> plainInsert(pool));
        plain = ClosedLoop.run(creates * 2, concurrency, () -> plainInsert(pool));
        sqlOnly = ClosedLoop.run(creates * 2, concurrency, () -> ticketWithOutbox(pool, tenant));
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

      // 2. List and search over a tenant with ticketCount tickets.
      long seedStart = System.nanoTime();
      long created = count(infra, support.database(), "true");
      seed(infra, support.database(), tenant, (int) Math.max(0, ticketCount - created));
      double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
      long total = count(infra, support.database(), "true");
      long rare = count(infra, support.database(), "search @@ to_tsquery('english', 'kerberos')");
      long common = count(infra, support.database(), "search @@ to_tsquery('english', 'invoice')");
      String rareQ = "q=" + RARE_WORD + "&sort=relevance";
      String commonQ = "q=" + COMMON_WORD + "&sort=relevance";
      String commonNewest = "q=" + COMMON_WORD + "&sort=-createdAt";
      String twoWords = "q=" + URLEncoder.encode("refund failed", StandardCharsets.UTF_8);
      String filtered = "status=open&priority=high";
      for (String warm : List.of("", filtered, rareQ, commonQ, commonNewest, twoWords)) {
        for (int i = 0; i < 50; i++) {
          api.list(warm, null);
        }
      }
      Latencies newest = api.timeList("", queries);
      Latencies byFilter = api.timeList(filtered, queries);
      Latencies deepPages = api.timePages("sort=createdAt", queries);
      Latencies rareSearch = api.timeList(rareQ, queries);
      Latencies commonSearch = api.timeList(commonQ, queries);
      Latencies commonByDate = api.timeList(commonNewest, queries);
      Latencies twoWordSearch = api.timeList(twoWords, queries);

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

  private static boolean plainInsert(Pool pool) {
    pool.preparedQuery(
            "insert into support.plain_insert (id, tenant_id, subject, description, priority,"
                + " created_at) values ($1, $2, $3, $4, $5, $6)")
        .execute(
            Tuple.of(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "Cannot download invoice PDF",
                "The invoice download fails with a timeout after the refund.",
                "high",
                OffsetDateTime.now()))
        .await()
        .atMost(Duration.ofSeconds(10));
    return true;
  }

  /**
   * What a create writes, in one transaction, without HTTP, JWT, validation or Hibernate. The event
   * row is written already marked published: its data is not a full catalog event, and the
   * service's relay must not put it on the shared broker.
   */
  private static boolean ticketWithOutbox(Pool pool, UUID tenant) {
    UUID id = UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now();
    // Sent as the service sends it (TicketRows): the scope and both inserts in one statement.
    pool.preparedQuery(
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
                    "{\"ticketId\":\"" + id + "\",\"priority\":\"high\"}")))
        .await()
        .atMost(Duration.ofSeconds(10));
    return true;
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
