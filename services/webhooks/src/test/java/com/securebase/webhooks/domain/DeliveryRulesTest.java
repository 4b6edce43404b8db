package com.securebase.webhooks.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The delivery rules that are plain Java: schedule, circuit, signatures. */
class DeliveryRulesTest {
  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void theDefaultScheduleRetriesFiveTimesWithJitterThenGivesUp() {
    RetrySchedule s = new RetrySchedule(RetrySchedule.DEFAULT_DELAYS, 0.1);
    assertThat(s.maxAttempts()).isEqualTo(6);
    assertThat(s.next(1, T, null, 0.5)).contains(T.plusSeconds(5));
    assertThat(s.next(1, T, null, 0.0)).contains(T.plusMillis(4500));
    assertThat(s.next(1, T, null, 0.999999))
        .hasValueSatisfying(t -> assertThat(t).isBefore(T.plusMillis(5501)));
    assertThat(s.next(2, T, null, 0.5)).contains(T.plus(Duration.ofMinutes(5)));
    assertThat(s.next(5, T, null, 0.5)).contains(T.plus(Duration.ofHours(5)));
    assertThat(s.next(6, T, null, 0.5)).isEmpty();
  }

  @Test
  void retryAfterOnlyEverLengthensTheWaitAndIsCapped() {
    RetrySchedule s = new RetrySchedule(RetrySchedule.DEFAULT_DELAYS, 0.0);
    assertThat(s.next(1, T, Duration.ofSeconds(1), 0.5)).contains(T.plusSeconds(5));
    assertThat(s.next(1, T, Duration.ofSeconds(90), 0.5)).contains(T.plusSeconds(90));
    assertThat(s.next(1, T, Duration.ofDays(9), 0.5)).contains(T.plus(Duration.ofHours(24)));
    assertThatThrownBy(() -> new RetrySchedule(List.of(), 0.1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCircuitOpensAfterConsecutiveFailuresAndLetsOneTrialThrough() {
    EndpointCircuit c = new EndpointCircuit(3, Duration.ofSeconds(30));
    long t = 1_000;
    c.failed(t);
    c.succeeded();
    c.failed(t);
    c.failed(t);
    assertThat(c.allows(t)).isTrue();
    c.failed(t);
    assertThat(c.open(t)).isTrue();
    assertThat(c.allows(t + Duration.ofSeconds(29).toNanos())).isFalse();
    long later = t + Duration.ofSeconds(31).toNanos();
    assertThat(c.allows(later)).isTrue(); // the one trial
    assertThat(c.allows(later)).isFalse();
    c.failed(later);
    assertThat(c.allows(later + 1)).isFalse(); // reopened
    long muchLater = later + Duration.ofSeconds(31).toNanos();
    assertThat(c.allows(muchLater)).isTrue();
    c.succeeded();
    assertThat(c.open(muchLater)).isFalse();
    assertThat(c.allows(muchLater)).isTrue();
  }

  @Test
  void signaturesVerifyWithTheOfficialLibraryUnderEverySigningSecret() throws Exception {
    String current = EndpointSecret.generate();
    String previous = EndpointSecret.generate();
    long now = Instant.now().getEpochSecond();
    String body = "{\"type\":\"securebase.support.ticket.created\"}";
    List<String> secrets =
        EndpointSecret.signing(current, previous, Instant.now().plusSeconds(60), Instant.now());
    assertThat(secrets).containsExactly(current, previous);
    String header = SignatureV1.header(secrets, "msg_1", now, body);
    Map<String, List<String>> headers =
        Map.of(
            "webhook-id", List.of("msg_1"),
            "webhook-timestamp", List.of(Long.toString(now)),
            "webhook-signature", List.of(header));
    new Webhook(current).verify(body, headers);
    new Webhook(previous).verify(body, headers);
    assertThatThrownBy(() -> new Webhook(EndpointSecret.generate()).verify(body, headers))
        .hasMessageContaining("signature");
    assertThat(
            EndpointSecret.signing(current, previous, Instant.now().minusSeconds(1), Instant.now()))
        .containsExactly(current);
  }
}
