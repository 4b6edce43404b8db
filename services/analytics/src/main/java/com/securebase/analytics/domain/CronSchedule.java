package com.securebase.analytics.domain;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.securebase.problem.ProblemException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

/**
 * A report's schedule: a five-field Unix cron expression (minute hour day-of-month month
 * day-of-week, as crontab has it; parsed by cron-utils) read in an IANA time zone. Clock changes: a
 * local time that does not exist that day (spring forward) fires at the first instant after the
 * gap; a local time that happens twice (fall back) fires once, the first time. Fires at most once
 * every {@value #MIN_GAP_MINUTES} minutes: a report is a digest, not a stream.
 */
public final class CronSchedule {
  public static final int MIN_GAP_MINUTES = 5;
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime times;

  private CronSchedule(String expression, ZoneId zone, ExecutionTime times) {
    this.expression = expression;
    this.zone = zone;
    this.times = times;
  }

  /**
   * @throws ProblemException 400 naming {@code cron} or {@code timeZone}
   */
  public static CronSchedule of(String cron, String timeZone, Instant now) {
    String expression = cron == null ? "" : cron.strip().replaceAll("\\s+", " ");
    if (expression.split(" ").length != 5) {
      throw ProblemException.invalidField(
          "cron", "must have five fields: minute hour day-of-month month day-of-week");
    }
    Cron parsed;
    try {
      parsed = PARSER.parse(expression);
      parsed.validate();
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalidField("cron", "is not a valid cron expression: " + reason(e));
    }
    if (timeZone == null || !ZoneId.getAvailableZoneIds().contains(timeZone)) {
      throw ProblemException.invalidField(
          "timeZone", "must be an IANA time zone such as Europe/Paris");
    }
    CronSchedule s =
        new CronSchedule(expression, ZoneId.of(timeZone), ExecutionTime.forCron(parsed));
    Instant first =
        s.nextAfter(now).orElseThrow(() -> ProblemException.invalidField("cron", "never fires"));
    Optional<Instant> second = s.nextAfter(first);
    if (second.isPresent() && Duration.between(first, second.get()).toMinutes() < MIN_GAP_MINUTES) {
      throw ProblemException.invalidField(
          "cron", "fires more often than every " + MIN_GAP_MINUTES + " minutes");
    }
    return s;
  }

  private static String reason(IllegalArgumentException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    return m.length() > 200 ? m.substring(0, 200) : m;
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first slot strictly after {@code t}; empty if the expression never fires again. */
  public Optional<Instant> nextAfter(Instant t) {
    Optional<Instant> next;
    try {
      next = times.nextExecution(t.atZone(zone)).map(ZonedDateTime::toInstant);
    } catch (DateTimeException e) {
      return Optional.empty();
    }
    // cron-utils passes over a slot whose local time falls in a spring-forward gap; crontab runs
    // it as the clocks change, and a daily report should not miss that day.
    ZoneOffsetTransition change = zone.getRules().nextTransition(t);
    while (change != null && (next.isEmpty() || change.getInstant().isBefore(next.get()))) {
      if (change.isGap() && inGap(change)) {
        return Optional.of(change.getInstant());
      }
      change = zone.getRules().nextTransition(change.getInstant());
    }
    return next;
  }

  /** Whether the expression names a local time the gap skips (evaluated on a clock without one). */
  private boolean inGap(ZoneOffsetTransition gap) {
    LocalDateTime start = gap.getDateTimeBefore();
    return times
        .nextExecution(start.minusSeconds(1).atZone(ZoneOffset.UTC))
        .map(n -> n.toLocalDateTime().isBefore(gap.getDateTimeAfter()))
        .orElse(false);
  }
}
