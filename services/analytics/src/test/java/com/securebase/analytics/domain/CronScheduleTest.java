package com.securebase.analytics.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securebase.problem.ProblemException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private static List<String> fires(String cron, String zone, String from, int n) {
    Instant t = Instant.parse(from);
    CronSchedule s = CronSchedule.of(cron, zone, t);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      t = s.nextAfter(t).orElseThrow();
      out.add(t.atZone(ZoneId.of(zone)).toOffsetDateTime().toString());
    }
    return out;
  }

  @Test
  void dailyAtNineInParisKeepsLocalTimeAcrossBothClockChanges() {
    assertThat(fires("0 9 * * *", "Europe/Paris", "2026-03-27T12:00:00Z", 3))
        .containsExactly(
            "2026-03-28T09:00+01:00", "2026-03-29T09:00+02:00", "2026-03-30T09:00+02:00");
    assertThat(fires("0 9 * * *", "Europe/Paris", "2026-10-24T12:00:00Z", 2))
        .containsExactly("2026-10-25T09:00+01:00", "2026-10-26T09:00+01:00");
  }

  @Test
  void aLocalTimeInTheSpringGapFiresOnceJustAfterItAndARepeatedOneFiresOnce() {
    // 02:30 does not exist in Paris on 29 March 2026; it happens twice on 25 October 2026.
    List<String> spring = fires("30 2 * * *", "Europe/Paris", "2026-03-28T12:00:00Z", 2);
    assertThat(spring.get(0)).startsWith("2026-03-29T03");
    assertThat(spring.get(1)).isEqualTo("2026-03-30T02:30+02:00");
    assertThat(fires("30 2 * * *", "Europe/Paris", "2026-10-24T12:00:00Z", 2))
        .containsExactly("2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00");
  }

  @Test
  void weekdaysAndMonthlyExpressions() {
    assertThat(fires("0 8 * * 1-5", "UTC", "2026-12-04T09:00:00Z", 2)) // a Friday
        .containsExactly("2026-12-07T08:00Z", "2026-12-08T08:00Z");
    assertThat(fires("0 6 1 * *", "America/New_York", "2026-12-15T00:00:00Z", 2))
        .containsExactly("2027-01-01T06:00-05:00", "2027-02-01T06:00-05:00");
  }

  @Test
  void badExpressionsAndZonesAreRefusedNamingTheField() {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    for (String bad :
        List.of(
            "",
            "* * * *",
            "61 * * * *",
            "0 25 * * *",
            "0 9 * * mon-funday",
            "0 9 * * * *",
            "'; drop table x; --")) {
      assertThatThrownBy(() -> CronSchedule.of(bad, "UTC", now))
          .isInstanceOf(ProblemException.class)
          .hasMessageContaining("cron");
    }
    assertThatThrownBy(() -> CronSchedule.of("* * * * *", "UTC", now))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("every 5 minutes");
    assertThatThrownBy(() -> CronSchedule.of("0 9 * * *", "Mars/Olympus", now))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("timeZone");
    assertThatThrownBy(() -> CronSchedule.of("0 9 * * *", "+02:00", now))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("timeZone");
    assertThat(CronSchedule.of("*/5 * * * *", "UTC", now).zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(PARIS.getId()).isEqualTo("Europe/Paris");
  }
}
