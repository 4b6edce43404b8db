package com.securebase.notifications;

import static com.securebase.notifications.NotificationFixtures.NOTIFICATIONS;
import static com.securebase.notifications.NotificationFixtures.PREFERENCES;
import static com.securebase.notifications.NotificationFixtures.WAIT;
import static com.securebase.notifications.NotificationFixtures.awaitFrom;
import static com.securebase.notifications.NotificationFixtures.budgetReached;
import static com.securebase.notifications.NotificationFixtures.invoiceFinalized;
import static com.securebase.notifications.NotificationFixtures.member;
import static com.securebase.notifications.NotificationFixtures.person;
import static com.securebase.notifications.NotificationFixtures.problem;
import static com.securebase.notifications.NotificationFixtures.publish;
import static com.securebase.notifications.NotificationFixtures.publishBranding;
import static com.securebase.notifications.NotificationFixtures.until;
import static com.securebase.notifications.NotificationFixtures.usageReached;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.icegreen.greenmail.util.GreenMail;
import com.securebase.catalog.EventCatalog;
import com.securebase.events.EventEnvelope;
import com.securebase.notifications.NotificationFixtures.Person;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.MovableClock;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.SlackReceiver;
import com.securebase.testkit.SmtpServer;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Email through a real SMTP server (GreenMail), Slack through a local HTTP receiver, preferences,
 * and retries with a movable clock, over the real Postgres and Kafka.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "notifications"))
@WithTestResource(SmtpServer.class)
class ChannelsTest {
  private static final String SETTINGS = NOTIFICATIONS + "/settings";
  @SmtpServer.Inject GreenMail smtp;
  @Inject MovableClock clock;

  @Test
  void emailIsSentInTheTenantsBranding() throws Exception {
    UUID tenant = UUID.randomUUID();
    publishBranding(tenant, "Acme Cloud", "#FF6600", 1);
    until(
        "the tenant's branding in tenant_settings",
        () ->
            TestDatabase.count(
                "select count(*) from tenant_settings where tenant_id = ? and display_name ="
                    + " 'Acme Cloud'",
                tenant),
        n -> n == 1,
        WAIT);
    Person billing = member(tenant, "billing");
    publish(invoiceFinalized(tenant, "INV-2026-0042", "1234.50"));

    MimeMessage mail = mailsTo(billing, 1).getFirst();
    assertThat(mail.getSubject()).isEqualTo("[Acme Cloud] Invoice INV-2026-0042 is ready");
    assertThat(mail.getFrom()[0].toString()).contains("notifications@securebase.dev");
    String body = text(mail);
    assertThat(body)
        .contains("Acme Cloud", "#FF6600", "Total 1234.50 USD")
        .contains("Hello User " + billing.id().toString().substring(0, 8))
        .contains("https://app.securebase.dev/v1/invoices/");
    // The outcome is recorded just after the send: poll for it.
    assertThat(
            until(
                "the email delivery recorded as sent",
                () ->
                    TestDatabase.rows(
                        "select status, attempts from delivery where user_id = ? and channel ="
                            + " 'email'",
                        billing.id()),
                rows -> rows.equals(List.of(Map.of("status", "sent", "attempts", 1))),
                WAIT))
        .containsExactly(Map.of("status", "sent", "attempts", 1));
  }

  @Test
  void aTenantUpdateRebrandsEmailAndALateOlderUpdateIsIgnored() throws Exception {
    UUID tenant = UUID.randomUUID();
    publishBranding(tenant, "Acme Cloud", "#FF6600", 1);
    publishBranding(tenant, "Acme Renamed", "#0055AA", 3);
    // Version 2 arrives after version 3 (a retried publish): it must not roll the branding back.
    publishBranding(tenant, "Acme Stale", "#000000", 2);
    // The gateway topic is keyed by tenant, so the user published after them is known only once
    // all three tenant events were applied.
    Person billing = member(tenant, "billing");
    publish(invoiceFinalized(tenant, "INV-2026-0043", "99.00"));

    MimeMessage mail = mailsTo(billing, 1).getFirst();
    assertThat(mail.getSubject()).isEqualTo("[Acme Renamed] Invoice INV-2026-0043 is ready");
    assertThat(text(mail))
        .contains("Acme Renamed", "#0055AA")
        .doesNotContain("Acme Cloud", "#FF6600", "Acme Stale", "#000000");
  }

  @Test
  void ownersAndAdminsReadTheChannelSettingsWithoutTheWebhookUrl() throws Exception {
    UUID tenant = UUID.randomUUID();
    List<Person> managers = List.of(person(tenant, "owner"), person(tenant, "admin"));
    // Nothing stored for the tenant yet (no row at all), then a row with branding only.
    managers.forEach(p -> assertSlack(p, null));
    publishBranding(tenant, "Acme Cloud", "#FF6600", 1);
    until(
        "the tenant's branding in tenant_settings",
        () ->
            TestDatabase.count("select count(*) from tenant_settings where tenant_id = ?", tenant),
        n -> n == 1,
        WAIT);
    managers.forEach(p -> assertSlack(p, null));

    try (SlackReceiver slack = new SlackReceiver()) {
      changeSlack(managers.get(1), Map.of("slackWebhookUrl", slack.url()))
          .body("slackConfigured", equalTo(true));
      // Only a prefix (28 characters) is shown: the rest of the URL is the secret.
      managers.forEach(p -> assertSlack(p, slack.url().substring(0, 28) + "…"));
    }
    changeSlack(managers.get(0), Map.of("removeSlackWebhook", true))
        .body("slackConfigured", equalTo(false));
    managers.forEach(p -> assertSlack(p, null));

    for (String role : List.of("billing", "analyst", "support", "viewer")) {
      problem(
          given().auth().oauth2(person(tenant, role).token()).get(SETTINGS).then(),
          403,
          "forbidden");
    }
  }

  /** What GET settings answers {@code p}: configured with that hint, or not (hint null). */
  private static void assertSlack(Person p, String hint) {
    given()
        .auth()
        .oauth2(p.token())
        .get(SETTINGS)
        .then()
        .statusCode(200)
        .body("slackConfigured", equalTo(hint != null))
        .body("slackWebhookHint", equalTo(hint))
        .body(not(containsString("secret")));
  }

  private static io.restassured.response.ValidatableResponse changeSlack(
      Person p, Map<String, ?> body) {
    return given()
        .auth()
        .oauth2(p.token())
        .contentType(ContentType.JSON)
        .body(body)
        .put(SETTINGS)
        .then()
        .statusCode(200);
  }

  @Test
  void preferencesAreHonouredAndCriticalAlertsBypassThem() throws Exception {
    UUID tenant = UUID.randomUUID();
    Person analyst = member(tenant, "analyst");
    Person admin = member(tenant, "admin");
    given()
        .auth()
        .oauth2(analyst.token())
        .contentType(ContentType.JSON)
        .body("{\"preferences\":{\"alert\":{\"email\":false}}}")
        .put(PREFERENCES)
        .then()
        .statusCode(200)
        .body("preferences.alert.email.enabled", equalTo(false))
        .body("preferences.alert.email.source", equalTo("user"))
        .body("preferences.billing.email.source", equalTo("default"));

    EventEnvelope warning = budgetReached(tenant, "Cloud", 80);
    publish(warning);
    String analystsWarning = (String) awaitFrom(analyst, warning.id(), 1).getFirst().get("id");
    List<MimeMessage> adminsMail = mailsTo(admin, 1);
    assertThat(adminsMail).hasSize(1);
    assertThat(adminsMail.getFirst().getSubject()).isEqualTo("[SecureBase] Budget Cloud at 80%");
    // Deliveries are created with the notification, in one transaction: none for the opt-out.
    assertThat(
            TestDatabase.count(
                "select count(*) from delivery where notification_id = ?",
                UUID.fromString(analystsWarning)))
        .isZero();

    EventEnvelope critical = budgetReached(tenant, "Cloud", 100);
    publish(critical);
    assertThat(awaitFrom(analyst, critical.id(), 1).getFirst().get("severity"))
        .isEqualTo("critical");
    assertThat(mailsTo(analyst, 1).getFirst().getSubject()).contains("Budget Cloud at 100%");

    // A tenant default applies to whoever has not chosen; a user's own choice wins over it.
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body("{\"preferences\":{\"billing\":{\"email\":false}}}")
        .put(PREFERENCES + "/defaults")
        .then()
        .statusCode(200)
        .body("preferences.billing.email.enabled", equalTo(false))
        .body("preferences.billing.email.source", equalTo("tenant"));
    Person quiet = member(tenant, "billing");
    Person keen = member(tenant, "billing");
    given()
        .auth()
        .oauth2(keen.token())
        .contentType(ContentType.JSON)
        .body("{\"preferences\":{\"billing\":{\"email\":true}}}")
        .put(PREFERENCES)
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(quiet.token())
        .get(PREFERENCES)
        .then()
        .statusCode(200)
        .body("preferences.billing.email.enabled", equalTo(false))
        .body("preferences.billing.email.source", equalTo("tenant"));
    EventEnvelope invoice = invoiceFinalized(tenant, "INV-7", "10.00");
    publish(invoice);
    assertThat(mailsTo(keen, 1).getFirst().getSubject()).contains("Invoice INV-7 is ready");
    String quietsInvoice = (String) awaitFrom(quiet, invoice.id(), 1).getFirst().get("id");
    assertThat(
            TestDatabase.count(
                "select count(*) from delivery where notification_id = ?",
                UUID.fromString(quietsInvoice)))
        .isZero();
    // null removes a choice: back to the tenant default.
    given()
        .auth()
        .oauth2(keen.token())
        .contentType(ContentType.JSON)
        .body("{\"preferences\":{\"billing\":{\"email\":null}}}")
        .put(PREFERENCES)
        .then()
        .statusCode(200)
        .body("preferences.billing.email.source", equalTo("tenant"));
  }

  @Test
  void slackGetsOnePostPerEventOnTheTenantsWebhook() throws Exception {
    UUID tenant = UUID.randomUUID();
    Person admin = member(tenant, "admin");
    member(tenant, "owner");
    member(tenant, "billing");
    try (SlackReceiver slack = new SlackReceiver()) {
      configureSlack(admin, slack);
      EventEnvelope usage = usageReached(tenant, "api_calls");
      publish(usage);
      List<String> posts = slack.await(p -> p.contains("api_calls"), 1, WAIT);
      assertThat(posts).hasSize(1);
      assertThat(posts.getFirst())
          .contains("Usage threshold reached: api_calls")
          .contains(":warning:")
          .contains("https://app.securebase.dev/v1/usage");
      awaitFrom(admin, usage.id(), 1);
      assertThat(slackDeliveries(usage.id())).hasSize(1);
      // Three recipients, one post. A later event of the tenant (same partition) is delivered
      // after this one: deliveries are claimed oldest first and a batch's sends all finish before
      // any is recorded, so once the later one is recorded, a second post of this one would be in.
      EventEnvelope later = usageReached(tenant, "storage_gb");
      publish(later);
      until(
          "the later event's Slack delivery recorded as sent",
          () -> slackDeliveries(later.id()),
          rows -> rows.equals(List.of(Map.of("status", "sent"))),
          WAIT);
      assertThat(slack.await(p -> p.contains("api_calls"), 1, WAIT)).hasSize(1);
    }
  }

  @Test
  void failedSendsAreRetriedWithBackoffThenReportedAsDeliveryFailed() throws Exception {
    UUID tenant = UUID.randomUUID();
    Person admin = member(tenant, "admin");
    try (SlackReceiver slack = new SlackReceiver();
        BrokerEvents broker = BrokerEvents.on("securebase.notifications.events")) {
      configureSlack(admin, slack);
      slack.status.set(500);
      EventEnvelope usage = usageReached(tenant, "storage_gb");
      publish(usage);
      UUID notification =
          UUID.fromString((String) awaitFrom(admin, usage.id(), 1).getFirst().get("id"));
      for (int attempt = 1; attempt <= 3; attempt++) {
        int expected = attempt;
        Map<String, Object> delivery =
            until(
                "Slack attempt " + expected,
                () -> slackDelivery(notification),
                d -> ((Number) d.get("attempts")).intValue() == expected,
                WAIT);
        assertThat(delivery.get("attempts")).isEqualTo(expected);
        assertThat(delivery.get("last_error_code")).isEqualTo("http_500");
        assertThat(delivery.get("status")).isEqualTo(expected < 3 ? "pending" : "failed");
        // Backoff: 30 s, then 60 s (doubling); move the clock past it instead of waiting.
        clock.advance(Duration.ofSeconds(30L << (attempt - 1)).plusSeconds(1));
      }
      assertThat(
              TestDatabase.rows(
                  "select attempt, outcome, error_code from delivery_attempt a join delivery d on"
                      + " d.id = a.delivery_id where d.notification_id = ? and d.channel ="
                      + " 'slack' order by attempt",
                  notification))
          .extracting(r -> r.get("outcome") + "/" + r.get("error_code"))
          .containsExactly("failed/http_500", "failed/http_500", "failed/http_500");
      assertThat(slack.await(p -> p.contains("storage_gb"), 3, WAIT)).hasSize(3);

      EventEnvelope failed =
          broker
              .await(
                  e ->
                      e.type().equals("securebase.notifications.delivery.failed")
                          && e.data()
                              .path("notificationId")
                              .asText()
                              .equals(notification.toString()),
                  1,
                  WAIT)
              .getFirst();
      assertThat(EventCatalog.load().violations(failed.type(), failed.data())).isEmpty();
      assertThat(failed.tenantId()).isEqualTo(tenant.toString());
      assertThat(failed.data().path("channel").asText()).isEqualTo("slack");
      assertThat(failed.data().path("attempts").asInt()).isEqualTo(3);
      assertThat(failed.data().at("/error/code").asText()).isEqualTo("http_500");
      assertThat(failed.data().toString()).doesNotContain(slack.url());
    }
  }

  private static void configureSlack(Person admin, SlackReceiver slack) {
    changeSlack(admin, Map.of("slackWebhookUrl", slack.url()))
        .body("slackConfigured", equalTo(true))
        .body("slackWebhookHint", not(containsString("secret")));
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body("{\"preferences\":{\"alert\":{\"slack\":true}}}")
        .put(PREFERENCES + "/defaults")
        .then()
        .statusCode(200);
  }

  /** The Slack deliveries of an event's notifications (whichever recipient's they hang on). */
  private static List<Map<String, Object>> slackDeliveries(String eventId) {
    return TestDatabase.rows(
        "select d.status from delivery d join notification n on n.id = d.notification_id"
            + " where n.source_event_id = ? and d.channel = 'slack'",
        eventId);
  }

  private static Map<String, Object> slackDelivery(UUID notification) {
    List<Map<String, Object>> rows =
        TestDatabase.rows(
            "select status, attempts, last_error_code from delivery where notification_id = ?"
                + " and channel = 'slack'",
            notification);
    return rows.isEmpty() ? Map.of("attempts", 0) : rows.getFirst();
  }

  private List<MimeMessage> mailsTo(Person p, int count) {
    return until(
        count + " mail(s) to " + p.email(),
        () -> Arrays.stream(smtp.getReceivedMessages()).filter(m -> sentTo(m, p.email())).toList(),
        found -> found.size() >= count,
        WAIT);
  }

  private static boolean sentTo(MimeMessage m, String address) {
    try {
      return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
          .anyMatch(a -> a.toString().equalsIgnoreCase(address));
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every text part of the message, decoded. */
  private static String text(jakarta.mail.Part part) throws Exception {
    Object content = part.getContent();
    if (content instanceof Multipart multipart) {
      StringBuilder all = new StringBuilder();
      for (int i = 0; i < multipart.getCount(); i++) {
        BodyPart child = multipart.getBodyPart(i);
        all.append(text(child)).append('\n');
      }
      return all.toString();
    }
    return content instanceof String s ? s : "";
  }
}
