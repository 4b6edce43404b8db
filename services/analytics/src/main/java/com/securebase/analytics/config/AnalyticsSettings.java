package com.securebase.analytics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Analytics' settings ({@code securebase.analytics.*}; docs/operations.md describes each). */
@ConfigMapping(prefix = "securebase.analytics")
public interface AnalyticsSettings {
  /** Whole months of points kept; older partitions are dropped. */
  @WithDefault("13")
  int retentionMonths();

  /**
   * How long a cached answer lives (new points in its range drop it sooner); 0 turns the cache off.
   */
  @WithDefault("5m")
  Duration cacheTtl();

  Query query();

  Export export();

  LiveUpdate liveUpdate();

  Maintenance maintenance();

  Schedules schedules();

  Slack slack();

  interface Query {
    /** A query statement running longer is cancelled: 422 query-too-long. */
    @WithDefault("5s")
    Duration timeout();
  }

  interface Export {
    @WithDefault("120s")
    Duration timeout();
  }

  interface LiveUpdate {
    /** The shortest time between two live updates of one tenant. */
    @WithDefault("5s")
    Duration window();

    @WithDefault("1s")
    Duration flush();
  }

  interface Maintenance {
    /** When partitions are created ahead and dropped past the retention (Quartz cron, or off). */
    @WithDefault("0 20 0 * * ?")
    String cron();
  }

  interface Schedules {
    @WithDefault("5s")
    Duration poll();

    @WithDefault("4")
    int maxAttempts();

    @WithDefault("1m")
    Duration backoff();

    @WithDefault("30m")
    Duration maxBackoff();

    /** How long a replica holds a run before another may take it over (it died). */
    @WithDefault("10m")
    Duration lease();
  }

  interface Slack {
    /** The Slack URLs a schedule may name (anything else could aim our sends at internal hosts). */
    String allowedUrl();

    @WithDefault("10s")
    Duration timeout();
  }

  /** The first instant a point may have: the start of the oldest month kept. */
  default Instant oldestKept(Instant now) {
    return now.atOffset(ZoneOffset.UTC)
        .toLocalDate()
        .withDayOfMonth(1)
        .minusMonths(retentionMonths() - 1L)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }
}
