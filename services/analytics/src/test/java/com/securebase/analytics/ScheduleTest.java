package com.securebase.analytics;

import static com.securebase.analytics.AnalyticsFixtures.badRequest;
import static com.securebase.analytics.AnalyticsFixtures.ingest;
import static com.securebase.analytics.AnalyticsFixtures.point;
import static com.securebase.analytics.AnalyticsFixtures.points;
import static com.securebase.analytics.AnalyticsFixtures.problem;
import static com.securebase.analytics.AnalyticsFixtures.spec;
import static com.securebase.analytics.AnalyticsFixtures.tierToken;
import static com.securebase.testkit.Polling.until;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.icegreen.greenmail.util.GreenMail;
import com.securebase.analytics.messaging.ScheduledReports;
import com.securebase.events.EventEnvelope;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.SlackReceiver;
import com.securebase.testkit.SmtpServer;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Scheduled reports over the real Postgres, Kafka and an SMTP server (GreenMail), with a local
 * stand-in for Slack: each slot runs once however many claimers race for it, missed slots run once,
 * failures are retried and then given up, and the tier gates scheduling.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "analytics"))
@WithTestResource(SmtpServer.class)
class ScheduleTest {
  @SmtpServer.Inject GreenMail mail;
  @Inject ScheduledReports reports;

  private static final Instant AT = Instant.now().minus(Duration.ofHours(2));

  private static ValidatableResponse send(String method, String token, String path, Object body) {
    var r = given().header("Authorization", "Bearer " + token);
    if (body != null) {
      r = r.contentType(ContentType.JSON).body(body);
    }
    return r.request(method, path).then();
  }

  /** A tenant with points and a CSV report; returns its analyst's token and the report id. */
  private static String[] tenantWithReport(UUID tenant) {
    String token = tierToken(tenant, "fintech", true, "analyst");
    ingest(
            token,
            points(
                point("logins", AT, 7, "eu", null, null), point("logins", AT, 5, "us", null, null)))
        .statusCode(200);
    String report =
        send(
                "POST",
                token,
                "/v1/analytics/reports",
                Map.of(
                    "name", "Daily logins",
                    "query",
                        spec(
                            "metrics",
                            List.of("logins"),
                            "last",
                            "P1D",
                            "groupBy",
                            List.of("region")),
                    "format", "csv"))
            .statusCode(201)
            .extract()
            .path("id");
    return new String[] {token, report};
  }

  private static Map<String, Object> schedule(String report, List<Map<String, Object>> recipients) {
    return Map.of(
        "reportId",
        report,
        "cron",
        "0 * * * *",
        "timeZone",
        "Europe/Paris",
        "recipients",
        recipients);
  }

  private static List<Map<String, Object>> runs(String schedule) {
    return TestDatabase.rows(
        "select status, attempts, trigger, scheduled_for from analytics.report_run where schedule_id = ?::uuid",
        schedule);
  }

  @Test
  void aSlotRunsOnceWhoeverClaimsItAndMissedSlotsRunOnceForTheLatest() throws Exception {
    UUID tenant = UUID.randomUUID();
    String[] t = tenantWithReport(tenant);
    String address = "ops-" + tenant + "@example.com";
    try (SlackReceiver slack = new SlackReceiver();
        BrokerEvents events = BrokerEvents.on("securebase.analytics.events")) {
      String id =
          send(
                  "POST",
                  t[0],
                  "/v1/analytics/schedules",
                  schedule(
                      t[1],
                      List.of(
                          Map.of("type", "email", "address", address),
                          Map.of("type", "slack", "url", slack.url()),
                          Map.of("type", "webhook"))))
              .statusCode(201)
              .body("recipients[1].urlSet", equalTo(true))
              .body("recipients[1].url", org.hamcrest.Matchers.nullValue())
              .extract()
              .path("id");
      // The service was down for three days: 72 hourly slots were missed.
      TestDatabase.execute(
          "update analytics.report_schedule set next_run_at = now() - interval '3 days' where id = ?::uuid",
          id);
      // Four claimers race (as four replicas would), besides the service's own poller.
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<Integer>> queued = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        queued.add(pool.submit((Callable<Integer>) reports::queueDueSlots));
      }
      for (Future<Integer> f : queued) {
        f.get();
      }
      pool.shutdown();
      until(() -> runs(id).size() == 1, "the run");
      Instant topOfHour = Instant.now().truncatedTo(ChronoUnit.HOURS);
      assertThat(runs(id)).hasSize(1);
      assertThat(((java.sql.Timestamp) runs(id).getFirst().get("scheduled_for")).toInstant())
          .isEqualTo(topOfHour);
      assertThat(
              TestDatabase.count(
                  "select count(*) from analytics.report_schedule where id = ?::uuid and next_run_at > now()",
                  id))
          .isEqualTo(1);

      until(() -> "delivered".equals(runs(id).getFirst().get("status")), "the delivered run");
      List<MimeMessage> received = List.of(mail.getReceivedMessagesForDomain("example.com"));
      List<MimeMessage> mine = received.stream().filter(m -> to(m).equals(address)).toList();
      assertThat(mine).hasSize(1);
      assertThat(mine.getFirst().getSubject()).isEqualTo("[SecureBase] Daily logins");
      String csv = attachment(mine.getFirst(), "Daily-logins.csv");
      assertThat(csv.lines().toList())
          .contains("bucket,metric,region,sum")
          .anyMatch(l -> l.endsWith(",logins,eu,7.0"));
      assertThat(slack.await(p -> p.contains("Daily logins"), 1, Duration.ofSeconds(10)))
          .hasSize(1);

      List<EventEnvelope> announced =
          events.await(
              e ->
                  e.type().startsWith("securebase.analytics.report.")
                      && e.tenantId().equals(tenant.toString()),
              2,
              Duration.ofSeconds(20));
      assertThat(announced)
          .extracting(EventEnvelope::type)
          .containsExactly(
              "securebase.analytics.report.generated", "securebase.analytics.report.delivered");
      var delivered = announced.get(1).data();
      assertThat(delivered.path("rowCount").asInt()).isEqualTo(2);
      assertThat(delivered.path("deliveries")).hasSize(3);
      assertThat(delivered.toString()).doesNotContain(slack.url()).doesNotContain("secret");
      send("GET", t[0], "/v1/analytics/schedules/" + id + "/runs", null)
          .statusCode(200)
          .body("items[0].status", equalTo("delivered"))
          .body(
              "items[0].deliveries.status",
              equalTo(List.of("delivered", "delivered", "delivered")));
      // Nothing more ran: another pass finds nothing due.
      assertThat(reports.queueDueSlots()).isZero();
      assertThat(runs(id)).hasSize(1);
    }
  }

  @Test
  void aFailedDeliveryIsRetriedWithoutResendingWhatArrivedThenGivenUp() throws Exception {
    UUID tenant = UUID.randomUUID();
    String[] t = tenantWithReport(tenant);
    String address = "retry-" + tenant + "@example.com";
    try (SlackReceiver slack = new SlackReceiver();
        BrokerEvents events = BrokerEvents.on("securebase.analytics.events")) {
      slack.status.set(500);
      String id =
          send(
                  "POST",
                  t[0],
                  "/v1/analytics/schedules",
                  schedule(
                      t[1],
                      List.of(
                          Map.of("type", "email", "address", address),
                          Map.of("type", "slack", "url", slack.url()))))
              .statusCode(201)
              .extract()
              .path("id");
      send("POST", t[0], "/v1/analytics/schedules/" + id + "/run", null)
          .statusCode(202)
          .body("trigger", equalTo("manual"))
          .body("status", equalTo("queued"));
      until(() -> "failed".equals(runs(id).getFirst().get("status")), "the run given up");
      assertThat(runs(id).getFirst().get("attempts")).isEqualTo(4);
      assertThat(slack.await(p -> true, 4, Duration.ofSeconds(5))).hasSize(4);
      assertThat(
              List.of(mail.getReceivedMessagesForDomain("example.com")).stream()
                  .filter(m -> to(m).equals(address)))
          .hasSize(1);
      List<EventEnvelope> announced =
          events.await(
              e ->
                  e.type().startsWith("securebase.analytics.report.")
                      && e.tenantId().equals(tenant.toString()),
              2,
              Duration.ofSeconds(20));
      assertThat(announced)
          .extracting(EventEnvelope::type)
          .containsExactly(
              "securebase.analytics.report.generated", "securebase.analytics.report.failed");
      var failed = announced.get(1).data();
      assertThat(failed.at("/error/code").asText()).isEqualTo("delivery-failed");
      assertThat(failed.at("/deliveries/1/error/code").asText()).isEqualTo("slack-http-500");
      assertThat(failed.toString()).doesNotContain(slack.url());

      // Slack recovers: a new manual run delivers at once.
      slack.status.set(200);
      send("POST", t[0], "/v1/analytics/schedules/" + id + "/run", null).statusCode(202);
      until(
          () -> runs(id).stream().anyMatch(r -> "delivered".equals(r.get("status"))),
          "the second run");
    }
  }

  @Test
  void schedulingNeedsTheTierFeatureEditAccessAndValidInput() {
    UUID tenant = UUID.randomUUID();
    String[] t = tenantWithReport(tenant);
    Map<String, Object> email = Map.of("type", "email", "address", "a@example.com");
    // Standard tier: no scheduling, and the problem names the feature.
    problem(
            send(
                "POST",
                tierToken(tenant, "standard", false, "analyst"),
                "/v1/analytics/schedules",
                schedule(t[1], List.of(email))),
            403,
            "feature-not-in-tier")
        .body("feature", equalTo("reportScheduling"));
    String path = "/v1/analytics/schedules";
    badRequest(
            send(
                "POST",
                t[0],
                path,
                Map.of(
                    "reportId",
                    t[1],
                    "cron",
                    "0 25 * * *",
                    "timeZone",
                    "UTC",
                    "recipients",
                    List.of(email))),
            "validation-failed")
        .body("errors[0].field", equalTo("cron"));
    badRequest(
        send(
            "POST",
            t[0],
            path,
            Map.of(
                "reportId",
                t[1],
                "cron",
                "* * * * *",
                "timeZone",
                "UTC",
                "recipients",
                List.of(email))),
        "validation-failed");
    badRequest(
            send(
                "POST",
                t[0],
                path,
                Map.of(
                    "reportId",
                    t[1],
                    "cron",
                    "0 9 * * *",
                    "timeZone",
                    "Europe/Atlantis",
                    "recipients",
                    List.of(email))),
            "validation-failed")
        .body("errors[0].field", equalTo("timeZone"));
    badRequest(
        send(
            "POST",
            t[0],
            path,
            schedule(
                t[1],
                List.of(
                    Map.of("type", "slack", "url", "http://169.254.169.254/latest/meta-data")))),
        "validation-failed");
    badRequest(
        send(
            "POST",
            t[0],
            path,
            schedule(
                t[1], List.of(Map.of("type", "email", "address", "x@y.com\r\nBcc: all@z.com")))),
        "validation-failed");
    badRequest(
        send("POST", t[0], path, schedule(t[1], List.of(Map.of("type", "fax", "address", "123")))),
        "validation-failed");
    badRequest(send("POST", t[0], path, schedule(t[1], List.of())), "validation-failed");
    badRequest(
        send("POST", t[0], path, schedule(t[1], List.of(email, email))), "validation-failed");
    badRequest(
        send("POST", t[0], path, "{\"reportId\": 12, \"cron\": true}"),
        "validation-failed",
        "invalid-value");
    badRequest(send("POST", t[0], path, "{\"reportId\":"), "malformed-request");
    // Another tenant's report or schedule: 404.
    String stranger = tierToken(UUID.randomUUID(), "fintech", true, "owner");
    problem(send("POST", stranger, path, schedule(t[1], List.of(email))), 404, "not-found");
    String id =
        send("POST", t[0], path, schedule(t[1], List.of(email)))
            .statusCode(201)
            .extract()
            .path("id");
    problem(send("GET", stranger, path + "/" + id, null), 404, "not-found");
    problem(send("GET", stranger, path + "/" + id + "/runs", null), 404, "not-found");
    problem(send("DELETE", stranger, path + "/" + id, null), 404, "not-found");
    problem(send("POST", stranger, path + "/" + id + "/run", null), 404, "not-found");
    // Someone the report is shared with for viewing sees the schedule but cannot change it.
    UUID viewer = UUID.randomUUID();
    send(
            "PUT",
            t[0],
            "/v1/analytics/reports/" + t[1] + "/shares",
            Map.of("principalType", "user", "principal", viewer.toString(), "permission", "view"))
        .statusCode(200);
    String viewerToken =
        com.securebase.testkit.TestTokens.sign(
            com.securebase.testkit.TestTokens.builder(tenant, viewer.toString(), "analyst")
                .claim("tier", "fintech")
                .claim("features", Map.of("reportScheduling", true)));
    send("GET", viewerToken, path + "/" + id, null)
        .statusCode(200)
        .body("cron", equalTo("0 * * * *"));
    send("GET", viewerToken, path, null)
        .statusCode(200)
        .body("items.id", org.hamcrest.Matchers.hasItem(id));
    problem(send("DELETE", viewerToken, path + "/" + id, null), 403, "report-access-denied");
    problem(
        send("PUT", viewerToken, path + "/" + id, schedule(t[1], List.of(email))),
        403,
        "report-access-denied");
    // An analyst it is not shared with does not know it exists.
    String outsider = tierToken(tenant, "fintech", true, "analyst");
    problem(send("GET", outsider, path + "/" + id, null), 404, "not-found");
    send("GET", outsider, path, null)
        .statusCode(200)
        .body("items.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
    send("DELETE", t[0], path + "/" + id, null).statusCode(204);
    problem(send("GET", t[0], path + "/" + id, null), 404, "not-found");
  }

  private static String to(MimeMessage m) {
    try {
      return m.getAllRecipients()[0].toString();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }

  private static String attachment(MimeMessage m, String name) throws Exception {
    MimeMultipart parts = (MimeMultipart) m.getContent();
    for (int i = 0; i < parts.getCount(); i++) {
      BodyPart p = parts.getBodyPart(i);
      if (name.equals(p.getFileName())) {
        return new String(
            p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no attachment " + name);
  }
}
