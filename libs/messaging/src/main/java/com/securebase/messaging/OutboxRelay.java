package com.securebase.messaging;

import com.securebase.events.CloudEventsKafka;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in {@code seq} order and marks them published.
 *
 * <p>One batch is one database transaction holding a transaction-scoped advisory lock, so across
 * replicas only one relay works on a schema's outbox at a time and per-key order holds. The batch
 * is sent with an idempotent producer ({@code acks=all}) and marked published only after every send
 * is acknowledged; if anything fails the transaction rolls back and the rows are sent again
 * (at-least-once: consumers de-duplicate on the event id). A crash between commit and publish
 * leaves the rows pending for the next relay; a broker outage only delays them.
 *
 * <p>Runs on its own thread: woken after a commit that wrote events (see {@link #wake()}) or by the
 * poll interval, never on a Vert.x event loop. When another replica holds the lock it tries again
 * shortly, since that replica's last batch may have been read before this process's commit.
 */
public final class OutboxRelay implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final String LOCK =
      "select pg_try_advisory_xact_lock(hashtext(current_schema() || '.outbox_relay'))";
  private static final String PENDING =
      "select seq, event_id, topic, tenant_id, event_type, source, subject, occurred_at,"
          + " data_schema, data::text from outbox_event where published_at is null and parked_at is null"
          + " order by seq limit $1";
  private static final String MARK =
      "update outbox_event set published_at = now(), attempts = attempts + 1, last_error = null"
          + " where seq = any($1)";
  private static final String FAILED =
      "update outbox_event set attempts = attempts + 1, last_error = $2 where seq = any($1)";
  private static final String PARK =
      "update outbox_event set parked_at = now(), attempts = attempts + 1, last_error = $2"
          + " where seq = $1";
  private static final String PURGE_PROCESSED =
      "delete from processed_event where processed_at < now() - make_interval(secs => $1)";
  private static final String PURGE =
      "delete from outbox_event where published_at < now() - make_interval(secs => $1)";

  /** A test seam to simulate a crash after publishing and before marking. */
  @FunctionalInterface
  public interface BeforeMark {
    void run(List<Long> seqs);
  }

  /**
   * @param retention how long published rows are kept (for inspection) before the purge
   * @param dedupRetention how long processed event ids are kept; longer than any topic's retention
   */
  public record Settings(
      int batchSize,
      Duration pollInterval,
      Duration sendTimeout,
      Duration retention,
      Duration dedupRetention) {}

  private final Pool pool;
  private final Producer<String, byte[]> producer;
  private final Settings settings;
  private final BeforeMark beforeMark;
  private final Semaphore wakeups = new Semaphore(0);
  private final Counter published;
  private final Counter failures;
  private final Counter parked;
  private static final long LOCK_RETRY_MS = 25;
  private volatile boolean running;
  private volatile boolean lockBusy;
  private Thread thread;
  private long lastPurgeNanos = System.nanoTime();

  public OutboxRelay(
      Pool pool, Producer<String, byte[]> producer, Settings settings, MeterRegistry meters) {
    this(pool, producer, settings, meters, seqs -> {});
  }

  public OutboxRelay(
      Pool pool,
      Producer<String, byte[]> producer,
      Settings settings,
      MeterRegistry meters,
      BeforeMark beforeMark) {
    this.pool = pool;
    this.producer = producer;
    this.settings = settings;
    this.beforeMark = beforeMark;
    this.published = meters.counter("securebase.outbox.published");
    this.failures = meters.counter("securebase.outbox.failures");
    this.parked = meters.counter("securebase.outbox.parked");
  }

  /** Starts the relay thread (idempotent). */
  public synchronized void start(String name) {
    if (running) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
  }

  /** Asks the relay to look at the outbox now. */
  public void wake() {
    if (wakeups.availablePermits() == 0) {
      wakeups.release();
    }
  }

  public boolean running() {
    return running;
  }

  @Override
  public synchronized void close() {
    running = false;
    wake();
    if (thread != null) {
      try {
        thread.join(settings.sendTimeout().plusSeconds(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }

  private void loop() {
    long backoffMs = 0;
    while (running) {
      try {
        if (backoffMs > 0) {
          wakeups.tryAcquire(backoffMs, TimeUnit.MILLISECONDS);
        } else {
          wakeups.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
        wakeups.drainPermits();
        if (!running) {
          return;
        }
        int sent;
        do {
          sent = relayBatch();
        } while (sent == settings.batchSize() && running);
        backoffMs = lockBusy ? LOCK_RETRY_MS : 0;
        purgeOccasionally();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        failures.increment();
        backoffMs = backoffMs == 0 ? 200 : Math.min(backoffMs * 2, 10_000);
        LOG.warnf("Outbox relay batch failed, retrying in %d ms: %s", backoffMs, e.getMessage());
      }
    }
  }

  /**
   * Publishes one batch of pending events.
   *
   * @return how many events were published (0 when none is pending or another relay holds the lock)
   */
  public int relayBatch() {
    SqlConnection connection = pool.getConnection().await().atMost(settings.sendTimeout());
    Transaction tx = null;
    try {
      tx = connection.begin().await().atMost(settings.sendTimeout());
      Boolean locked =
          connection
              .query(LOCK)
              .execute()
              .await()
              .atMost(settings.sendTimeout())
              .iterator()
              .next()
              .getBoolean(0);
      lockBusy = !Boolean.TRUE.equals(locked);
      if (lockBusy) {
        tx.rollback().await().atMost(settings.sendTimeout());
        return 0;
      }
      RowSet<Row> rows =
          connection
              .preparedQuery(PENDING)
              .execute(Tuple.of(settings.batchSize()))
              .await()
              .atMost(settings.sendTimeout());
      if (rows.size() == 0) {
        tx.commit().await().atMost(settings.sendTimeout());
        return 0;
      }
      List<Long> seqs = new ArrayList<>(rows.size());
      List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
      for (Row row : rows) {
        seqs.add(row.getLong("seq"));
        acks.add(producer.send(CloudEventsKafka.toRecord(row.getString("topic"), envelope(row))));
      }
      List<Long> delivered = new ArrayList<>(seqs.size());
      String retriable = null;
      for (int i = 0; i < acks.size(); i++) {
        try {
          acks.get(i).get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
          delivered.add(seqs.get(i));
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RetriableException
              || !(e.getCause() instanceof ApiException)) {
            retriable = e.getCause().toString();
          } else {
            // Kafka will never take this record (too large, invalid topic...): park it rather
            // than let it block every event behind it.
            park(connection, seqs.get(i), e.getCause().toString());
          }
        } catch (TimeoutException e) {
          retriable = "no acknowledgement within " + settings.sendTimeout();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          retriable = "interrupted";
        }
      }
      if (retriable != null) {
        tx.rollback().await().atMost(settings.sendTimeout());
        tx = null;
        recordFailure(seqs, retriable);
        throw new IllegalStateException("Kafka did not acknowledge the batch: " + retriable);
      }
      seqs = delivered;
      beforeMark.run(seqs);
      connection
          .preparedQuery(MARK)
          .execute(Tuple.of(seqs.toArray(Long[]::new)))
          .await()
          .atMost(settings.sendTimeout());
      tx.commit().await().atMost(settings.sendTimeout());
      tx = null;
      published.increment(seqs.size());
      return rows.size(); // delivered + parked: either way the batch was consumed
    } catch (RuntimeException e) {
      if (tx != null) {
        tx.rollback().onFailure().recoverWithNull().await().atMost(settings.sendTimeout());
      }
      throw e;
    } finally {
      connection.close().onFailure().recoverWithNull().await().atMost(settings.sendTimeout());
    }
  }

  private void park(SqlConnection connection, long seq, String reason) {
    LOG.errorf("Outbox event seq %d parked: Kafka refuses it (%s)", seq, reason);
    parked.increment();
    connection
        .preparedQuery(PARK)
        .execute(Tuple.of(seq, truncate(reason)))
        .await()
        .atMost(settings.sendTimeout());
  }

  private void recordFailure(List<Long> seqs, String reason) {
    pool.preparedQuery(FAILED)
        .execute(Tuple.of(seqs.toArray(Long[]::new), truncate(reason)))
        .onFailure()
        .recoverWithNull()
        .await()
        .atMost(settings.sendTimeout());
  }

  private void purgeOccasionally() {
    if (System.nanoTime() - lastPurgeNanos < TimeUnit.MINUTES.toNanos(10)) {
      return;
    }
    lastPurgeNanos = System.nanoTime();
    pool.preparedQuery(PURGE_PROCESSED)
        .execute(Tuple.of(settings.dedupRetention().toSeconds()))
        .onFailure()
        .recoverWithNull()
        .await()
        .atMost(settings.sendTimeout());
    pool.preparedQuery(PURGE)
        .execute(Tuple.of(settings.retention().toSeconds()))
        .onFailure()
        .invoke(e -> LOG.warn("Outbox purge failed", e))
        .onFailure()
        .recoverWithNull()
        .await()
        .atMost(settings.sendTimeout());
  }

  private static EventEnvelope envelope(Row row) {
    String schema = row.getString("data_schema");
    return new EventEnvelope(
        row.getUUID("event_id").toString(),
        row.getString("event_type"),
        URI.create(row.getString("source")),
        row.getString("tenant_id"),
        row.getString("subject"),
        row.getOffsetDateTime("occurred_at").withOffsetSameInstant(ZoneOffset.UTC),
        schema == null ? null : URI.create(schema),
        EventJson.tree(row.getString("data").getBytes(StandardCharsets.UTF_8)));
  }

  private static String truncate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500);
  }
}
