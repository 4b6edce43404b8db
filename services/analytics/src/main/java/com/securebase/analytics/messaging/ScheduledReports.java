package com.securebase.analytics.messaging;

import com.securebase.analytics.config.AnalyticsSettings;
import com.securebase.analytics.domain.CronSchedule;
import com.securebase.analytics.domain.ExportFormat;
import com.securebase.analytics.domain.ExportWriters;
import com.securebase.analytics.domain.MetricQuery;
import com.securebase.analytics.domain.Recipient;
import com.securebase.analytics.messaging.ReportDelivery.Outcome;
import com.securebase.analytics.messaging.ReportDelivery.Output;
import com.securebase.analytics.persistence.BrandingStore;
import com.securebase.analytics.persistence.ExportRows;
import com.securebase.analytics.persistence.ReportStore;
import com.securebase.analytics.persistence.ReportStore.Report;
import com.securebase.analytics.persistence.RunStore;
import com.securebase.analytics.persistence.RunStore.Run;
import com.securebase.analytics.persistence.ScheduleStore;
import com.securebase.analytics.persistence.ScheduleStore.Schedule;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.TenantConnections;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs scheduled reports on every replica, each slot once: a due schedule is locked (SKIP LOCKED)
 * while its slot's run is queued under the unique key (schedule, slot) and the schedule moves on to
 * its next slot after now, so slots missed while nothing ran become one run, of the latest. Runs
 * are leased; an attempt generates the file (worker thread, streamed from a cursor), sends it to
 * each recipient not yet served, and retries what failed with backoff. Events: report.generated
 * once per run, then report.delivered or report.failed.
 */
@ApplicationScoped
public class ScheduledReports {
  private static final Logger LOG = Logger.getLogger(ScheduledReports.class);

  /** A delivered report holds at most this many rows (an attachment, not a data dump). */
  public static final int MAX_DELIVERED_ROWS = 50_000;

  private static final int SLOTS_PER_POLL = 100;
  private static final int RUNS_PER_POLL = 4;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Inject TenantConnections connections;
  @Inject AnalyticsSettings settings;
  @Inject AnalyticsEvents events;
  @Inject ExportRows rows;
  @Inject ReportDelivery delivery;
  @Inject Clock clock;

  /** Blocking on purpose: the scheduler runs it on a worker thread, and rendering blocks. */
  @Scheduled(
      every = "${securebase.analytics.schedules.poll}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void poll() {
    queueDueSlots();
    for (Run run : claimRuns()) {
      try {
        attempt(run);
      } catch (RuntimeException e) {
        // The lease runs out and another pass takes the run over.
        LOG.errorf(
            e, "Report run %s failed unexpectedly; it is retried when its lease ends", run.id());
      }
    }
  }

  /**
   * @return how many runs were queued
   */
  public int queueDueSlots() {
    Instant now = clock.instant();
    return connections
        .asSystem(
            c ->
                ScheduleStore.claimDue(c, now, SLOTS_PER_POLL)
                    .chain(
                        due ->
                            Multi.createFrom()
                                .iterable(due)
                                .onItem()
                                .transformToUniAndConcatenate(
                                    s -> {
                                      CronSchedule cron =
                                          CronSchedule.of(s.cron(), s.timeZone(), s.nextRunAt());
                                      Instant slot = latestSlot(cron, s.nextRunAt(), now);
                                      return RunStore.enqueue(
                                              c,
                                              s.tenant(),
                                              s.reportId(),
                                              s.id(),
                                              "scheduled",
                                              slot,
                                              now)
                                          .call(
                                              () ->
                                                  ScheduleStore.advance(
                                                      c, s.id(), cron.nextAfter(now).orElse(null)));
                                    })
                                .filter(Objects::nonNull)
                                .collect()
                                .asList()))
        .map(List::size)
        .await()
        .atMost(WAIT);
  }

  /** The last slot at or before {@code now}, from the first one due. */
  static Instant latestSlot(CronSchedule cron, Instant due, Instant now) {
    Instant slot = due;
    for (int i = 0; i < 100_000; i++) {
      var next = cron.nextAfter(slot);
      if (next.isEmpty() || next.get().isAfter(now)) {
        return slot;
      }
      slot = next.get();
    }
    return slot;
  }

  public List<Run> claimRuns() {
    Instant now = clock.instant();
    return connections
        .asSystem(c -> RunStore.claim(c, now, settings.schedules().lease(), RUNS_PER_POLL))
        .await()
        .atMost(WAIT);
  }

  private record Context(Report report, Schedule schedule, BrandingStore.Branding brand) {}

  /** One attempt at a claimed run: generate, deliver to whoever is still owed it, record. */
  public void attempt(Run run) {
    UUID tenant = run.tenant();
    Context ctx =
        connections
            .inTenant(
                tenant,
                c ->
                    ReportStore.get(c, tenant, run.reportId())
                        .chain(
                            r ->
                                (run.scheduleId() == null
                                        ? Uni.createFrom().<Schedule>nullItem()
                                        : ScheduleStore.get(c, tenant, run.scheduleId()))
                                    .chain(
                                        s ->
                                            BrandingStore.get(c, tenant)
                                                .map(b -> new Context(r, s, b)))))
            .await()
            .atMost(WAIT);
    Instant now = clock.instant();
    if (ctx.report() == null || ctx.schedule() == null) {
      record(
          run,
          ctx,
          null,
          run.deliveries(),
          error("schedule-deleted", "The report or its schedule was deleted"),
          now,
          true);
      return;
    }
    Output output = null;
    JsonObject error = null;
    try {
      output = render(run, ctx, now);
    } catch (ProblemException e) {
      String type = e.problem().type().toString();
      error = error(type.substring(type.lastIndexOf('/') + 1), e.problem().detail());
    } catch (RuntimeException e) {
      LOG.warnf(e, "Report run %s could not be generated", run.id());
      error = error("generation-failed", "The report could not be generated");
    }
    JsonArray deliveries = new JsonArray();
    List<Recipient> recipients = ctx.schedule().recipients();
    boolean all = output != null;
    for (int i = 0; i < recipients.size(); i++) {
      Recipient to = recipients.get(i);
      JsonObject before = previous(run.deliveries(), i, to);
      if (before != null && "delivered".equals(before.getString("status"))) {
        deliveries.add(before);
        continue;
      }
      Outcome o =
          output == null
              ? new Outcome("not-generated", "The report was not generated")
              : delivery.deliver(to, output);
      all &= o.delivered();
      JsonObject d = new JsonObject().put("channel", to.type()).put("recipient", to.label());
      d.put("status", o.delivered() ? "delivered" : "failed");
      d.put("error", o.delivered() ? null : error(o.code(), o.message()));
      deliveries.add(d);
    }
    if (output != null && !all) {
      error = error("delivery-failed", "Not every recipient could be reached; see deliveries");
    }
    record(run, ctx, output, deliveries, all ? null : error, now, false);
  }

  private static JsonObject previous(JsonArray before, int i, Recipient to) {
    if (before == null || i >= before.size()) {
      return null;
    }
    JsonObject d = before.getJsonObject(i);
    return to.type().equals(d.getString("channel"))
            && Objects.equals(to.label(), d.getString("recipient"))
        ? d
        : null;
  }

  private Output render(Run run, Context ctx, Instant now) {
    Report r = ctx.report();
    Instant at = run.scheduledFor() != null ? run.scheduledFor() : now;
    MetricQuery q = r.query().resolve(at, MAX_DELIVERED_ROWS).withLimit(MAX_DELIVERED_ROWS);
    ExportFormat format = ExportFormat.valueOf(r.format().toUpperCase(java.util.Locale.ROOT));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ExportWriters.RowSink sink =
        ExportWriters.open(
            format,
            bytes,
            q,
            new ExportWriters.Heading(
                r.name(), ctx.brand().displayName(), ctx.brand().primaryColor(), r.chart(), now));
    int n = rows.stream(run.tenant(), q, sink::accept);
    sink.finish();
    String file = r.name().replaceAll("[^A-Za-z0-9._-]+", "-") + "." + format.extension;
    String title = "[" + ctx.brand().displayName() + "] " + r.name();
    String summary =
        n
            + " rows · "
            + q.bucketText(q.from())
            + " to "
            + q.bucketText(q.to())
            + " ("
            + q.zone().getId()
            + ")"
            + (n == MAX_DELIVERED_ROWS ? " · the first " + MAX_DELIVERED_ROWS + " rows" : "");
    return new Output(bytes.toByteArray(), file, format.mediaType, n, title, summary);
  }

  private void record(
      Run run,
      Context ctx,
      Output output,
      JsonArray deliveries,
      JsonObject error,
      Instant now,
      boolean giveUp) {
    boolean delivered = error == null && output != null;
    boolean last = giveUp || run.attempts() >= settings.schedules().maxAttempts();
    String status = delivered ? "delivered" : last ? "failed" : "retrying";
    Instant retryAt = status.equals("retrying") ? now.plus(backoff(run.attempts())) : null;
    boolean generated = run.generated() || output != null;
    UUID tenant = run.tenant();
    connections
        .inTenant(
            tenant,
            c ->
                RunStore.finish(
                        c,
                        run.id(),
                        status,
                        generated,
                        output == null ? run.rowCount() : Integer.valueOf(output.rowCount()),
                        output == null ? run.outputSize() : Integer.valueOf(output.bytes().length),
                        deliveries,
                        error,
                        now,
                        retryAt)
                    .chain(
                        done -> {
                          if (done == null || ctx.report() == null) {
                            return Uni.createFrom().voidItem(); // the lease was lost, or no report
                          }
                          List<String> announce = new ArrayList<>();
                          if (output != null && !run.generated()) {
                            announce.add("generated");
                          }
                          if (!status.equals("retrying")) {
                            announce.add(status);
                          }
                          return Multi.createFrom()
                              .iterable(announce)
                              .onItem()
                              .transformToUniAndConcatenate(
                                  s -> events.run(c, tenant, s, data(done, ctx.report(), s)))
                              .collect()
                              .last()
                              .replaceWithVoid();
                        }))
        .await()
        .atMost(WAIT);
    events.committed();
  }

  private Duration backoff(int attempts) {
    Duration d = settings.schedules().backoff().multipliedBy(1L << Math.min(attempts - 1, 20));
    return d.compareTo(settings.schedules().maxBackoff()) > 0
        ? settings.schedules().maxBackoff()
        : d;
  }

  /** A run as kafka/schemas/analytics/report.json has it. */
  static Map<String, Object> data(Run run, Report report, String status) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("tenantId", run.tenant().toString());
    d.put("reportId", run.reportId().toString());
    d.put("runId", run.id().toString());
    d.put("scheduleId", run.scheduleId() == null ? null : run.scheduleId().toString());
    d.put("reportName", report.name());
    d.put("template", report.template());
    d.put("format", report.format());
    d.put("trigger", run.trigger());
    d.put("status", status);
    d.put("scheduledFor", run.scheduledFor() == null ? null : run.scheduledFor().toString());
    d.put("startedAt", run.startedAt().toString());
    d.put("finishedAt", run.finishedAt() == null ? null : run.finishedAt().toString());
    d.put("rowCount", run.rowCount());
    d.put("outputSizeBytes", run.outputSize());
    d.put("deliveries", status.equals("generated") ? List.of() : run.deliveryList());
    d.put("error", status.equals("failed") ? run.errorMap() : null);
    return d;
  }

  private static JsonObject error(String code, String message) {
    return new JsonObject().put("code", code).put("message", message);
  }
}
