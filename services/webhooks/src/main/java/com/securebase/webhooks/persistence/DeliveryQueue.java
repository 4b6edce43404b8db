package com.securebase.webhooks.persistence;

import com.securebase.webhooks.domain.AttemptOutcome;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The delivery schedule in Postgres, as the dispatcher sees it (plain SQL on the reactive pool,
 * system scope, blocking calls: it runs on the dispatcher's own thread, never an event loop).
 * Claiming pushes a due delivery's {@code next_attempt_at} forward by a lease, so a replica that
 * dies mid-attempt leaves it due again once the lease ends: a restart delays a message, never loses
 * it.
 */
public class DeliveryQueue {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  // Lookups by id say "not finished" rather than "status = 'pending'": the latter matches the
  // predicate of the partial index of pending rows, which the planner may prefer to the primary
  // key when stale statistics say few rows are pending; a lookup would then walk every pending
  // row, tens of thousands during a burst.
  private static final String NOT_FINISHED = " status not in ('succeeded', 'dead')";

  // The inner scan is bounded and ranks due rows per endpoint, so one claim takes at most
  // $5 deliveries of any endpoint: a backlog on one receiver cannot fill the whole claim.
  static final String CLAIM =
      "with ranked as (select id, row_number() over (partition by endpoint_id"
          + " order by next_attempt_at) as n from (select d.id, d.endpoint_id, d.next_attempt_at"
          + " from delivery d where d.status = 'pending' and d.next_attempt_at <= $1"
          + " and not (d.endpoint_id = any($2))"
          + " and exists (select 1 from endpoint e where e.id = d.endpoint_id and e.enabled)"
          + " order by d.next_attempt_at limit 2000) due_rows),"
          + " due as (select d.id from delivery d"
          + " where d.id = any(array(select id from ranked where n <= $5))" // by primary key
          + " and d.next_attempt_at <= $1 and d."
          + NOT_FINISHED.trim()
          + " order by d.next_attempt_at limit $3 for update of d skip locked)"
          + " update delivery d set next_attempt_at = $4 from due, message m, endpoint e"
          + " where d.id = due.id and m.id = d.message_id and e.id = d.endpoint_id"
          + " returning d.id, d.tenant_id, d.message_id, d.endpoint_id, d.attempts,"
          + " d.first_attempt_at, e.url, e.secret, e.previous_secret,"
          + " e.previous_secret_expires_at, e.rate_limit_per_second, m.event_id, m.event_type,"
          + " m.payload";

  static final String RELEASE =
      "update delivery set next_attempt_at = $2 where id = any($1) and" + NOT_FINISHED;

  // Attempts are inserted and deliveries updated a batch per statement (arrays unnested), not a
  // statement per row: at thousands of deliveries a second the per-statement cost was much of the
  // database's work.
  private static final String INSERT_ATTEMPTS =
      "insert into attempt (tenant_id, delivery_id, message_id, endpoint_id, attempted_at,"
          + " outcome, status_code, latency_ms, response_excerpt, error)"
          + " select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[],"
          + " $5::timestamptz[], $6::text[], $7::int[], $8::int[], $9::text[], $10::text[])";

  static final String UPDATE_DELIVERIES =
      "update delivery d set status = u.status, attempts = d.attempts + 1,"
          + " next_attempt_at = u.next_attempt_at,"
          + " first_attempt_at = coalesce(d.first_attempt_at, u.attempted_at),"
          + " last_attempt_at = u.attempted_at, last_status_code = u.status_code,"
          + " last_error = u.error, dead_lettered_at = u.dead_lettered_at"
          + " from unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[],"
          + " $5::int[], $6::text[], $7::timestamptz[])"
          + " as u(id, status, next_attempt_at, attempted_at, status_code, error, dead_lettered_at)"
          + " where d.id = u.id and d."
          + NOT_FINISHED.trim();

  // Every statement here touches a bounded set of rows: by id, or the oldest due ones through the
  // partial index. Nested loops over index scans are the right plan at any table size, and they
  // are forced here because the pool's prepared statements keep a generic plan: one made while
  // the table was nearly empty (a fresh deployment) scanned the whole table for every id, so as a
  // burst grew it to tens of thousands of rows each claim took a second, until autovacuum's first
  // analyze forced new plans (measured: 200 deliveries/s for a minute instead of thousands).
  // Re-planning every execution instead costs the claim about 8 ms.
  private static final String SYSTEM_SCOPE =
      "select set_config('securebase.system_scope', 'on', true),"
          + " set_config('enable_seqscan', 'off', true),"
          + " set_config('enable_hashjoin', 'off', true),"
          + " set_config('enable_mergejoin', 'off', true)";

  private final Pool pool;

  public DeliveryQueue(Pool pool) {
    this.pool = pool;
  }

  /** A due delivery with everything needed to send it. */
  public record Claimed(
      UUID deliveryId,
      UUID tenantId,
      UUID messageId,
      UUID endpointId,
      int attempts,
      OffsetDateTime firstAttemptAt,
      String url,
      String secret,
      String previousSecret,
      OffsetDateTime previousSecretExpiresAt,
      Integer rateLimitPerSecond,
      String eventId,
      String eventType,
      String payload) {}

  /** How a delivery's row changes after an attempt. */
  public record Outcome(
      Claimed delivery,
      Instant attemptedAt,
      AttemptOutcome outcome,
      Integer statusCode,
      int latencyMs,
      String responseExcerpt,
      String error,
      String newStatus,
      Instant nextAttemptAt) {}

  /**
   * Claims up to {@code limit} due deliveries (at most {@code perEndpoint} of any one endpoint) of
   * enabled endpoints not in {@code skipEndpoints}, leased until {@code now + lease}.
   */
  public List<Claimed> claim(
      Instant now, Collection<UUID> skipEndpoints, int limit, int perEndpoint, Duration lease) {
    return inSystemTransaction(
        c ->
            c.preparedQuery(CLAIM)
                .execute(
                    Tuple.of(
                        utc(now),
                        skipEndpoints.toArray(UUID[]::new),
                        limit,
                        utc(now.plus(lease)),
                        perEndpoint))
                .await()
                .atMost(TIMEOUT),
        rows -> {
          List<Claimed> claimed = new ArrayList<>();
          for (Row r : rows) {
            claimed.add(
                new Claimed(
                    r.getUUID("id"),
                    r.getUUID("tenant_id"),
                    r.getUUID("message_id"),
                    r.getUUID("endpoint_id"),
                    r.getInteger("attempts"),
                    r.getOffsetDateTime("first_attempt_at"),
                    r.getString("url"),
                    r.getString("secret"),
                    r.getString("previous_secret"),
                    r.getOffsetDateTime("previous_secret_expires_at"),
                    r.getInteger("rate_limit_per_second"),
                    r.getString("event_id"),
                    r.getString("event_type"),
                    r.getString("payload")));
          }
          return claimed;
        });
  }

  /** Gives claimed deliveries back unsent (no attempt counted), due at {@code dueAt}. */
  public void release(Collection<UUID> deliveries, Instant dueAt) {
    if (deliveries.isEmpty()) {
      return;
    }
    inSystemTransaction(
        c ->
            c.preparedQuery(RELEASE)
                .execute(Tuple.of(deliveries.toArray(UUID[]::new), utc(dueAt)))
                .await()
                .atMost(TIMEOUT),
        rows -> null);
  }

  /**
   * Records attempts and their deliveries' new state in one transaction; {@code followUp} runs in
   * it too (dead-letter events, endpoint state) so the state and its events commit together.
   */
  public void record(List<Outcome> outcomes, java.util.function.Consumer<SqlConnection> followUp) {
    int n = outcomes.size();
    UUID[] tenants = new UUID[n];
    UUID[] deliveries = new UUID[n];
    UUID[] messages = new UUID[n];
    UUID[] endpoints = new UUID[n];
    OffsetDateTime[] attemptedAt = new OffsetDateTime[n];
    String[] outcome = new String[n];
    Integer[] statusCodes = new Integer[n];
    Integer[] latencies = new Integer[n];
    String[] excerpts = new String[n];
    String[] errors = new String[n];
    String[] newStatus = new String[n];
    OffsetDateTime[] nextAttemptAt = new OffsetDateTime[n];
    OffsetDateTime[] deadLetteredAt = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Outcome o = outcomes.get(i);
      Claimed d = o.delivery();
      tenants[i] = d.tenantId();
      deliveries[i] = d.deliveryId();
      messages[i] = d.messageId();
      endpoints[i] = d.endpointId();
      attemptedAt[i] = utc(o.attemptedAt());
      outcome[i] = o.outcome().wire();
      statusCodes[i] = o.statusCode();
      latencies[i] = o.latencyMs();
      excerpts[i] = o.responseExcerpt();
      errors[i] = o.error();
      newStatus[i] = o.newStatus();
      nextAttemptAt[i] = o.nextAttemptAt() == null ? null : utc(o.nextAttemptAt());
      deadLetteredAt[i] = "dead".equals(o.newStatus()) ? attemptedAt[i] : null;
    }
    Tuple attempts =
        Tuple.from(
            List.<Object>of(
                tenants,
                deliveries,
                messages,
                endpoints,
                attemptedAt,
                outcome,
                statusCodes,
                latencies,
                excerpts,
                errors));
    Tuple updates =
        Tuple.from(
            List.<Object>of(
                deliveries,
                newStatus,
                nextAttemptAt,
                attemptedAt,
                statusCodes,
                errors,
                deadLetteredAt));
    inSystemTransaction(
        c -> {
          c.preparedQuery(INSERT_ATTEMPTS).execute(attempts).await().atMost(TIMEOUT);
          c.preparedQuery(UPDATE_DELIVERIES).execute(updates).await().atMost(TIMEOUT);
          followUp.accept(c);
          return null;
        },
        ignored -> null);
  }

  /** Runs {@code work} in a transaction that sees every tenant (RLS system scope). */
  public <R, T> T inSystemTransaction(Function<SqlConnection, R> work, Function<R, T> result) {
    SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
    try {
      var tx = connection.begin().await().atMost(TIMEOUT);
      try {
        connection.query(SYSTEM_SCOPE).execute().await().atMost(TIMEOUT);
        R value = work.apply(connection);
        tx.commit().await().atMost(TIMEOUT);
        return result.apply(value);
      } catch (RuntimeException e) {
        try {
          tx.rollback().await().atMost(TIMEOUT);
        } catch (RuntimeException rollback) {
          e.addSuppressed(rollback); // the failed statement may have ended the transaction
        }
        throw e;
      }
    } finally {
      connection.close().await().atMost(TIMEOUT);
    }
  }

  public static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
