package com.securebase.webhooks.messaging;

import com.securebase.tenancy.AddressPolicy;
import com.securebase.webhooks.domain.AttemptOutcome;
import com.securebase.webhooks.domain.EndpointCircuit;
import com.securebase.webhooks.domain.RetrySchedule;
import com.securebase.webhooks.messaging.WebhookSender.Sent;
import com.securebase.webhooks.persistence.DeliveryQueue;
import com.securebase.webhooks.persistence.DeliveryQueue.Claimed;
import com.securebase.webhooks.persistence.DeliveryQueue.Outcome;
import com.securebase.webhooks.persistence.Endpoint;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Delivers due webhook messages. One thread per replica claims due deliveries from Postgres (see
 * {@link DeliveryQueue}) and starts their HTTP requests on Vert.x; a second records finished
 * attempts in batches, so claiming and recording, each a database round trip, overlap. Woken when
 * the fan-out commits new deliveries and when a request finishes; polls as the safety net and for
 * scheduled retries.
 *
 * <p>Isolation between receivers: at most {@code endpoint-concurrency} requests per endpoint are in
 * flight per replica, an endpoint whose circuit is open is not claimed for, and an endpoint's rate
 * limit defers its deliveries instead of failing them; so a slow or dead receiver holds at most its
 * own share of the {@code max-in-flight} capacity.
 */
@ApplicationScoped
public class DeliveryDispatcher {
  private static final Logger LOG = Logger.getLogger(DeliveryDispatcher.class);
  private static final int RECORD_BATCH = 1000;
  private static final Duration SQL_TIMEOUT = Duration.ofSeconds(30);
  private static final String DISABLE =
      "update endpoint set enabled = false, disabled_reason = $2, version = version + 1,"
          + " updated_at = $3 where id = $1 and enabled returning id, tenant_id, url, description,"
          + " event_types, enabled, disabled_reason, rate_limit_per_second, secret_rotated_at,"
          + " created_at, updated_at, version";

  @Inject Pool pool;
  @Inject Vertx vertx;
  @Inject Clock clock;
  @Inject WebhookEvents events;
  @Inject MeterRegistry meters;

  @ConfigProperty(name = "securebase.webhooks.dispatcher.enabled", defaultValue = "true")
  boolean enabled;

  @ConfigProperty(name = "securebase.webhooks.dispatcher.max-in-flight", defaultValue = "256")
  int maxInFlight;

  @ConfigProperty(name = "securebase.webhooks.dispatcher.batch-size", defaultValue = "200")
  int batchSize;

  @ConfigProperty(name = "securebase.webhooks.dispatcher.poll-interval", defaultValue = "1s")
  Duration pollInterval;

  @ConfigProperty(name = "securebase.webhooks.dispatcher.lease", defaultValue = "60s")
  Duration lease;

  @ConfigProperty(name = "securebase.webhooks.endpoint-concurrency", defaultValue = "16")
  int endpointConcurrency;

  @ConfigProperty(name = "securebase.webhooks.circuit.failure-threshold", defaultValue = "5")
  int circuitThreshold;

  @ConfigProperty(name = "securebase.webhooks.circuit.open-for", defaultValue = "30s")
  Duration circuitOpenFor;

  @ConfigProperty(name = "securebase.webhooks.timeout", defaultValue = "15s")
  Duration timeout;

  @ConfigProperty(name = "securebase.webhooks.retry.schedule", defaultValue = "0s,5s,5m,30m,2h,5h")
  List<Duration> retryDelays;

  @ConfigProperty(name = "securebase.webhooks.retry.jitter", defaultValue = "0.1")
  double jitter;

  @ConfigProperty(name = "securebase.webhooks.disable-after-failing-for", defaultValue = "5d")
  Duration disableAfter;

  @ConfigProperty(name = "securebase.webhooks.ssrf.allowlist")
  Optional<List<String>> allowlist;

  private final Semaphore wakeups = new Semaphore(0);
  private final Semaphore recorderWakeups = new Semaphore(0);
  private final ConcurrentLinkedQueue<Sent> finished = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<UUID, AtomicInteger> inFlightPerEndpoint = new ConcurrentHashMap<>();
  private final Map<UUID, EndpointCircuit> circuits = new ConcurrentHashMap<>();
  private final Map<UUID, RateLimit> rateLimits = new ConcurrentHashMap<>();
  // Claimed (leased) but not started yet; touched by the dispatcher thread only.
  private final Map<UUID, ArrayDeque<Claimed>> waiting = new HashMap<>();
  // How many wait there, for other threads to read.
  private volatile int held;
  // Handed over by the fan-out, moved to waiting by the dispatcher thread.
  private final ConcurrentLinkedQueue<Claimed> handedOver = new ConcurrentLinkedQueue<>();
  private volatile boolean running;
  private Thread thread;
  private Thread recorder;
  private DeliveryQueue queue;
  private WebhookSender sender;
  private RetrySchedule schedule;

  /** An endpoint's token bucket (rebuilt when its limit changes) and when it has tokens again. */
  private record RateLimit(int perSecond, Bucket bucket, long[] pausedUntilNanos) {}

  void onStart(@Observes StartupEvent event) {
    if (enabled) {
      start();
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    schedule = new RetrySchedule(retryDelays, jitter);
    queue = new DeliveryQueue(pool);
    sender =
        new WebhookSender(
            vertx,
            AddressPolicy.parse(allowlist.orElse(List.of())),
            timeout,
            maxInFlight, // endpoints sharing a host must not queue behind each other
            clock);
    running = true;
    thread = Thread.ofPlatform().name("webhook-dispatcher").daemon().start(this::loop);
    recorder = Thread.ofPlatform().name("webhook-recorder").daemon().start(this::recordLoop);
    wake();
  }

  /**
   * Stops claiming, waits for requests in flight (up to the send timeout), records them and closes.
   * Anything claimed but unrecorded becomes due again when its lease ends.
   */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    wake();
    wake(recorderWakeups);
    try {
      thread.join(timeout.toMillis() + 5_000);
      recorder.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.close();
    inFlightPerEndpoint.clear();
    circuits.clear();
    rateLimits.clear();
  }

  /**
   * Whether new deliveries may be written claimed by this dispatcher and handed to it ({@link
   * #handOver}): it runs, and what it holds, {@code pending} more included, leaves room in its
   * {@code max-in-flight} capacity.
   */
  public boolean takesHandOver(int pending) {
    return running && inFlight.get() + held + handedOver.size() + pending < maxInFlight;
  }

  /** Deliveries this replica took on, by how: handed over by the fan-out, or claimed. */
  private Counter deliveries(String source) {
    return meters.counter("securebase.webhooks.dispatcher.deliveries", "source", source);
  }

  /** How long a delivery written for {@link #handOver} stays claimed by this replica. */
  public Duration lease() {
    return lease;
  }

  /**
   * Deliveries committed already claimed by this replica (leased until {@link #lease()} from their
   * creation): they are started as their endpoints have room, like claimed ones.
   */
  public void handOver(List<Claimed> leased) {
    if (!leased.isEmpty()) {
      handedOver.addAll(leased);
      deliveries("handed-over").increment(leased.size());
      wake();
    }
  }

  /** Look for due deliveries now (new deliveries committed, clock moved in tests). */
  public void wake() {
    wake(wakeups);
  }

  private static void wake(Semaphore semaphore) {
    if (semaphore.availablePermits() == 0) {
      semaphore.release();
    }
  }

  public RetrySchedule schedule() {
    return schedule;
  }

  private void loop() {
    serve(
        () -> running || inFlight.get() > 0,
        wakeups,
        () -> {
          if (running) {
            dispatchDue();
          }
        },
        "Webhook dispatch failed");
    releaseWaiting();
  }

  /** Records finished attempts until the dispatcher has stopped and nothing is left in flight. */
  private void recordLoop() {
    serve(
        () -> running || inFlight.get() > 0 || !finished.isEmpty(),
        recorderWakeups,
        this::recordFinished,
        "Recording webhook attempts failed");
  }

  /**
   * Runs {@code step} when {@code signal} is released, or after the poll interval, for as long as
   * {@code more} holds; a step that fails is tried again a second later.
   */
  private void serve(BooleanSupplier more, Semaphore signal, Runnable step, String failure) {
    while (more.getAsBoolean()) {
      try {
        signal.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        signal.drainPermits();
        step.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warnf(e, "%s; retrying in a second", failure);
        sleepQuietly();
      }
    }
  }

  /** On stop: what was claimed but never started is due again at once, not after its lease. */
  private void releaseWaiting() {
    List<UUID> unsent = new ArrayList<>();
    waiting.values().forEach(queued -> queued.forEach(d -> unsent.add(d.deliveryId())));
    for (Claimed d; (d = handedOver.poll()) != null; ) {
      unsent.add(d.deliveryId());
    }
    waiting.clear();
    try {
      queue.release(unsent, clock.instant());
    } catch (RuntimeException e) {
      LOG.warnf(e, "%d claimed deliveries wait for their lease to end", unsent.size());
    }
  }

  /**
   * Claims due deliveries for endpoints with room (at most {@code endpoint-concurrency} per
   * endpoint per claim) and starts what their caps allow; the rest waits here, still leased, for
   * the endpoint's next free slot, instead of going back to the table and being claimed again.
   */
  private void dispatchDue() {
    try {
      claimAndStart();
    } finally {
      held = waitingCount();
    }
  }

  private void claimAndStart() {
    takeHandedOver();
    startWaiting();
    while (running) {
      int room = Math.min(maxInFlight - inFlight.get() - waitingCount(), batchSize);
      // Claim in batches, not one row per finished request: a claim scans the due rows.
      if (room <= 0 || (room < batchSize / 4 && inFlight.get() > 0)) {
        return;
      }
      long nano = System.nanoTime();
      List<Claimed> batch =
          queue.claim(clock.instant(), busyEndpoints(nano), room, endpointConcurrency, lease);
      deliveries("claimed").increment(batch.size());
      for (Claimed d : batch) {
        waiting.computeIfAbsent(d.endpointId(), id -> new ArrayDeque<>()).add(d);
      }
      startWaiting();
      if (batch.size() < room) {
        return;
      }
    }
  }

  /**
   * Moves handed-over deliveries to the waiting ones, except beyond what a claim would take for an
   * endpoint (twice its concurrency, in flight and waiting): those go back to the table, due now,
   * so a slow receiver's backlog never fills this replica's capacity.
   */
  private void takeHandedOver() {
    List<UUID> overflow = new ArrayList<>();
    for (Claimed d; (d = handedOver.poll()) != null; ) {
      ArrayDeque<Claimed> queued =
          waiting.computeIfAbsent(d.endpointId(), id -> new ArrayDeque<>());
      if (inFlightFor(d.endpointId()).get() + queued.size() >= 2 * endpointConcurrency) {
        overflow.add(d.deliveryId());
      } else {
        queued.add(d);
      }
    }
    queue.release(overflow, clock.instant());
  }

  /** Starts waiting deliveries whose endpoints have room; gives back what cannot go soon. */
  private void startWaiting() {
    long nano = System.nanoTime();
    Instant now = clock.instant();
    List<UUID> giveBack = new ArrayList<>();
    Map<Instant, List<UUID>> deferred = new HashMap<>();
    for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<UUID, ArrayDeque<Claimed>> entry = it.next();
      UUID endpoint = entry.getKey();
      ArrayDeque<Claimed> queued = entry.getValue();
      while (!queued.isEmpty() && inFlightFor(endpoint).get() < endpointConcurrency) {
        if (!circuit(endpoint).allows(nano)) {
          // Open circuit: back to the table until it may close, rather than hold the lease.
          queued.forEach(d -> giveBack.add(d.deliveryId()));
          queued.clear();
          break;
        }
        long wait = rateLimitWait(queued.peek(), nano);
        if (wait > 0) {
          List<UUID> later = deferred.computeIfAbsent(now.plusNanos(wait), k -> new ArrayList<>());
          queued.forEach(d -> later.add(d.deliveryId()));
          queued.clear();
          break;
        }
        start(queued.poll());
      }
      if (queued.isEmpty()) {
        it.remove();
      }
    }
    queue.release(giveBack, now.plus(circuitOpenFor));
    deferred.forEach((due, ids) -> queue.release(ids, due));
  }

  private int waitingCount() {
    int n = 0;
    for (ArrayDeque<Claimed> queued : waiting.values()) {
      n += queued.size();
    }
    return n;
  }

  /**
   * Endpoints not to claim for now: with a full cap in flight and as much waiting, circuit open, or
   * rate limited.
   */
  private Set<UUID> busyEndpoints(long nano) {
    Set<UUID> busy = new HashSet<>();
    inFlightPerEndpoint.forEach(
        (id, n) -> {
          ArrayDeque<Claimed> queued = waiting.get(id);
          if (n.get() + (queued == null ? 0 : queued.size()) >= 2 * endpointConcurrency) {
            busy.add(id);
          }
        });
    circuits.forEach(
        (id, c) -> {
          if (c.open(nano)) {
            busy.add(id);
          }
        });
    rateLimits.forEach(
        (id, r) -> {
          if (r.pausedUntilNanos()[0] - nano > 0) {
            busy.add(id);
          }
        });
    return busy;
  }

  private long rateLimitWait(Claimed d, long nano) {
    Integer limit = d.rateLimitPerSecond();
    if (limit == null) {
      rateLimits.remove(d.endpointId());
      return 0;
    }
    RateLimit r =
        rateLimits.compute(
            d.endpointId(),
            (id, old) ->
                old != null && old.perSecond() == limit
                    ? old
                    : new RateLimit(
                        limit,
                        Bucket.builder()
                            .addLimit(
                                Bandwidth.builder()
                                    .capacity(limit)
                                    .refillGreedy(limit, Duration.ofSeconds(1))
                                    .build())
                            .build(),
                        new long[] {nano}));
    ConsumptionProbe probe = r.bucket().tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return 0;
    }
    r.pausedUntilNanos()[0] = nano + probe.getNanosToWaitForRefill();
    return probe.getNanosToWaitForRefill();
  }

  private void start(Claimed d) {
    inFlight.incrementAndGet();
    inFlightFor(d.endpointId()).incrementAndGet();
    sender
        .send(d)
        .onComplete(
            done -> {
              Sent sent = done.result(); // the sender turns every failure into an outcome
              EndpointCircuit circuit = circuit(d.endpointId());
              if (sent.outcome() == AttemptOutcome.SUCCEEDED) {
                circuit.succeeded();
              } else {
                circuit.failed(System.nanoTime());
              }
              finished.add(sent);
              inFlightFor(d.endpointId()).decrementAndGet();
              inFlight.decrementAndGet();
              wake(recorderWakeups);
              wake();
            });
  }

  private AtomicInteger inFlightFor(UUID endpoint) {
    return inFlightPerEndpoint.computeIfAbsent(endpoint, id -> new AtomicInteger());
  }

  private EndpointCircuit circuit(UUID endpoint) {
    return circuits.computeIfAbsent(
        endpoint, id -> new EndpointCircuit(circuitThreshold, circuitOpenFor));
  }

  private void recordFinished() {
    while (!finished.isEmpty()) {
      List<Sent> batch = new ArrayList<>();
      Sent s;
      while (batch.size() < RECORD_BATCH && (s = finished.poll()) != null) {
        batch.add(s);
      }
      record(batch);
    }
  }

  private void record(List<Sent> batch) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    for (Sent s : batch) {
      int attempts = s.delivery().attempts() + 1;
      String status;
      Instant next = null;
      if (s.outcome() == AttemptOutcome.SUCCEEDED) {
        status = "succeeded";
      } else if (s.outcome() == AttemptOutcome.GONE) {
        status = "dead";
      } else {
        Optional<Instant> retry =
            schedule.next(
                attempts,
                s.attemptedAt(),
                s.retryAfter(),
                ThreadLocalRandom.current().nextDouble());
        status = retry.isPresent() ? "pending" : "dead";
        next = retry.orElse(null);
      }
      outcomes.add(
          new Outcome(
              s.delivery(),
              s.attemptedAt(),
              s.outcome(),
              s.statusCode(),
              s.latencyMs(),
              s.responseExcerpt(),
              s.error(),
              status,
              next));
      meters.counter("securebase.webhooks.attempts", "outcome", s.outcome().wire()).increment();
    }
    boolean[] wroteEvents = {false};
    queue.record(outcomes, tx -> wroteEvents[0] = followUp(tx, outcomes));
    if (wroteEvents[0]) {
      events.wakeRelay();
    }
  }

  /**
   * In the recording transaction: dead-letter events, 410 and continuous-failure disabling, the
   * endpoints' failing-since marks.
   *
   * @return whether events were written
   */
  private boolean followUp(SqlConnection tx, List<Outcome> outcomes) {
    boolean wrote = false;
    Set<UUID> succeeded = new HashSet<>();
    Map<UUID, Instant> failed = new HashMap<>();
    Set<UUID> gone = new HashSet<>();
    for (Outcome o : outcomes) {
      UUID endpoint = o.delivery().endpointId();
      if (o.outcome() == AttemptOutcome.SUCCEEDED) {
        succeeded.add(endpoint);
      } else if (o.outcome() == AttemptOutcome.GONE) {
        gone.add(endpoint);
      } else {
        failed.merge(endpoint, o.attemptedAt(), (a, b) -> a.isBefore(b) ? a : b);
      }
      if ("dead".equals(o.newStatus())) {
        events
            .deadLettered(tx, o, o.delivery().attempts() + 1, firstAttemptAt(o))
            .await()
            .atMost(SQL_TIMEOUT);
        wrote = true;
      }
    }
    succeeded.removeAll(failed.keySet());
    if (!succeeded.isEmpty()) {
      tx.preparedQuery(
              "update endpoint set failing_since = null where id = any($1)"
                  + " and failing_since is not null")
          .execute(Tuple.of(succeeded.toArray(UUID[]::new)))
          .await()
          .atMost(SQL_TIMEOUT);
    }
    for (Map.Entry<UUID, Instant> f : failed.entrySet()) {
      Row row =
          tx.preparedQuery(
                  "update endpoint set failing_since = coalesce(failing_since, $2) where id = $1"
                      + " returning failing_since")
              .execute(Tuple.of(f.getKey(), DeliveryQueue.utc(f.getValue())))
              .await()
              .atMost(SQL_TIMEOUT)
              .iterator()
              .next();
      if (!row.getOffsetDateTime("failing_since")
          .toInstant()
          .isAfter(f.getValue().minus(disableAfter))) {
        wrote |= disable(tx, f.getKey(), "continuous_failure");
      }
    }
    for (UUID endpoint : gone) {
      wrote |= disable(tx, endpoint, "gone");
    }
    return wrote;
  }

  /** The first attempt's time: the stored one, or this attempt's if it was the first. */
  private static Instant firstAttemptAt(Outcome o) {
    return o.delivery().firstAttemptAt() == null
        ? o.attemptedAt()
        : o.delivery().firstAttemptAt().toInstant();
  }

  private boolean disable(SqlConnection tx, UUID endpointId, String reason) {
    var rows =
        tx.preparedQuery(DISABLE)
            .execute(Tuple.of(endpointId, reason, DeliveryQueue.utc(clock.instant())))
            .await()
            .atMost(SQL_TIMEOUT);
    if (rows.size() == 0) {
      return false; // already disabled
    }
    Row r = rows.iterator().next();
    Endpoint e = new Endpoint();
    e.id = r.getUUID("id");
    e.tenantId = r.getUUID("tenant_id");
    e.url = r.getString("url");
    e.description = r.getString("description");
    e.eventTypes = r.getString("event_types");
    e.enabled = r.getBoolean("enabled");
    e.disabledReason = r.getString("disabled_reason");
    e.rateLimitPerSecond = r.getInteger("rate_limit_per_second");
    e.secretRotatedAt = r.getOffsetDateTime("secret_rotated_at");
    e.createdAt = r.getOffsetDateTime("created_at");
    e.updatedAt = r.getOffsetDateTime("updated_at");
    e.version = r.getInteger("version");
    LOG.infof("Webhook endpoint %s disabled (%s)", e.id, reason);
    events.endpointDisabled(tx, e).await().atMost(SQL_TIMEOUT);
    return true;
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
