package com.securebase.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventJson;
import com.securebase.infra.LocalReceivers;
import com.securebase.infra.ServiceProcess;
import com.securebase.testkit.JsonWebSocket;
import com.standardwebhooks.Webhook;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A customer's way through the platform (issue 19), through the gateway only, against the seven
 * packaged services, with the mail catcher and webhook receiver of {@code make run}: the operator
 * creates a tenant and invites its owner, who accepts, signs in with a password, enrols TOTP and
 * signs in with both, invites a billing user, issues an API key, subscribes a webhook endpoint and
 * opens the notification stream; a ticket opened with the key reaches the owner over the WebSocket,
 * by email and as a signed webhook; the billing user posts usage, runs billing, finalizes and
 * downloads the invoice PDF, imports costs, requests a forecast and sets a budget whose alert the
 * owner sees; the owner records metrics, runs, exports and schedules a report (delivered by email),
 * and reads and verifies the audit trail.
 */
class CustomerJourneyIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BRAND = "Journey Corp";
  private static final String PASSWORD = "correct horse battery staple";

  @Test
  void aCustomersJourneyThroughTheGateway() throws Exception {
    try (LocalReceivers receivers = LocalReceivers.start(0, 0);
        Platform platform = Platform.start(Platform.BEHIND_GATEWAY, extra(receivers))) {
      ServiceProcess gateway = platform.gateway();
      String inbox = "http://127.0.0.1:" + receivers.httpPort();
      ForgedTokens forge = new ForgedTokens(platform.privateKey());

      // The operator creates the tenant; its first owner is invited in it and accepts.
      ApiCaller operator =
          new ApiCaller(gateway, forge.issued(new UUID(0, 0), "fintech", "platform_admin"));
      UUID tenant =
          UUID.fromString(
              operator
                  .call(
                      "POST",
                      "/v1/tenants",
                      "{\"name\":\"Journey\",\"tier\":\"fintech\",\"branding\":{\"displayName\":\""
                          + BRAND
                          + "\"}}",
                      201)
                  .path("id")
                  .asText());
      ApiCaller founder = new ApiCaller(gateway, forge.issued(tenant, "fintech", "owner"));
      String ownerEmail = "owner@journey.example.com";
      UUID ownerId = Invitations.inviteAndAccept(gateway, founder, ownerEmail, "owner", PASSWORD);

      // Password, then TOTP: enrolled, confirmed, and from then on required.
      ApiCaller enrolling = new ApiCaller(gateway, signIn(gateway, ownerEmail, null, 200));
      String secret = enrolling.call("POST", "/v1/users/me/mfa", null, 200).path("secret").asText();
      long step = Instant.now().getEpochSecond() / 30;
      JsonNode recovery =
          enrolling.call(
              "POST", "/v1/users/me/mfa/confirm", "{\"code\":\"" + totp(secret, step) + "\"}", 200);
      assertThat(recovery.path("recoveryCodes")).hasSize(10);
      signIn(gateway, ownerEmail, null, 401); // mfa-required
      ApiCaller owner =
          new ApiCaller(gateway, signIn(gateway, ownerEmail, totp(secret, step + 1), 200));
      assertThat(owner.call("GET", "/v1/users/me", null, 200).path("mfaEnabled").asBoolean())
          .isTrue();

      UUID billingId =
          Invitations.inviteAndAccept(
              gateway, owner, "billing@journey.example.com", "billing", PASSWORD);
      ApiCaller billing =
          new ApiCaller(gateway, signIn(gateway, "billing@journey.example.com", null, 200));
      assertThat(PackagedServices.claims(billing.token()).path("groups").toString())
          .isEqualTo("[\"billing\"]");

      JsonNode key =
          owner.call("POST", "/v1/api-keys", "{\"name\":\"ci\",\"scopes\":[\"owner\"]}", 201);
      ApiCaller apiKey =
          new ApiCaller(
              gateway,
              authenticate(gateway, "{\"apiKey\":\"" + key.path("secret").asText() + "\"}", 200));

      String webhookSecret =
          owner
              .call(
                  "POST",
                  "/v1/webhooks/endpoints",
                  "{\"url\":\""
                      + inbox
                      + "/hooks/journey\",\"eventTypes\":[\"securebase.support.ticket.created\","
                      + "\"securebase.billing.invoice.finalized\"]}",
                  201)
              .path("secret")
              .asText();
      JsonWebSocket stream =
          JsonWebSocket.open(
              URI.create(
                  "ws://127.0.0.1:"
                      + gateway.port()
                      + "/v1/notifications/stream?access_token="
                      + owner.token()),
              Map.of());

      // A ticket opened with the key and assigned to the owner: stream, email and webhook.
      String ticketId =
          apiKey
              .call(
                  "POST",
                  "/v1/support/tickets",
                  "{\"subject\":\"Landing zone quota\",\"priority\":\"high\",\"assigneeId\":\""
                      + ownerId
                      + "\"}",
                  201)
              .path("id")
              .asText();
      JsonNode ticketPush =
          pushed(stream, n -> ticketId.equals(n.path("metadata").path("ticketId").asText()));
      assertThat(ticketPush.path("title").asText()).isEqualTo("New ticket: Landing zone quota");
      JsonNode mail =
          ApiCaller.until(
              "the ticket's email to the owner",
              () ->
                  find(
                      get(inbox + "/mail"),
                      m ->
                          m.path("subject")
                              .asText()
                              .equals("[" + BRAND + "] New ticket: Landing zone quota")));
      assertThat(mail.path("to").asText()).isEqualTo(ownerEmail);
      JsonNode ticketHook =
          webhook(inbox, webhookSecret, ticketPush.path("source").path("eventId").asText());
      assertThat(ticketHook.path("type").asText()).isEqualTo("securebase.support.ticket.created");
      assertThat(ticketHook.path("tenantId").asText()).isEqualTo(tenant.toString());

      // Billing: usage of last month, the run, the finalized invoice, its PDF.
      ApiCaller.until(
          "billing metering the tenant",
          () ->
              "fintech"
                  .equals(billing.call("GET", "/v1/metrics", null, 200).path("tier").asText()));
      YearMonth lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
      JsonNode usage =
          billing.call(
              "POST",
              "/v1/usage",
              "{\"records\":[{\"transactionId\":\"journey-1\",\"metricCode\":\"support_hours\","
                  + "\"quantity\":\"3\",\"timestamp\":\""
                  + lastMonth.atDay(10).atTime(9, 0).toInstant(ZoneOffset.UTC)
                  + "\"}]}",
              200);
      assertThat(usage.path("accepted").asInt()).isEqualTo(1);
      String invoiceId =
          billing
              .call("POST", "/v1/invoices/runs", "{\"period\":\"" + lastMonth + "\"}", 201)
              .path("id")
              .asText();
      JsonNode invoice = billing.call("POST", "/v1/invoices/" + invoiceId + "/finalize", null, 200);
      assertThat(invoice.path("status").asText()).isEqualTo("finalized");
      HttpResponse<byte[]> pdf =
          billing.send("GET", "/v1/invoices/" + invoiceId + "/pdf", null, "application/pdf");
      assertThat(pdf.statusCode()).isEqualTo(200);
      assertThat(pdf.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
      assertThat(new String(pdf.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
      JsonNode invoicePush =
          pushed(stream, n -> invoiceId.equals(n.path("metadata").path("invoiceId").asText()));
      assertThat(invoicePush.path("title").asText())
          .isEqualTo("Invoice " + invoice.path("number").asText() + " is ready");
      webhook(inbox, webhookSecret, invoicePush.path("source").path("eventId").asText());

      // Forecasting: fourteen months of costs, a forecast with its bands, a budget's alert.
      CostHistory.upload(billing);
      JsonNode forecast = billing.call("POST", "/v1/forecasts", "{\"horizon\":3}", 201);
      JsonNode periods = forecast.path("total").path("periods");
      assertThat(periods).hasSize(3);
      assertThat(periods.get(0).path("bounds").has("95")).isTrue();
      String budgetId =
          billing
              .call(
                  "POST",
                  "/v1/budgets",
                  "{\"name\":\"Cloud\",\"currency\":\"USD\",\"amount\":500.00,\"thresholds\":[80,100]}",
                  201)
              .path("id")
              .asText();
      billing.call(
          "POST",
          "/v1/forecasts/costs",
          "{\"granularity\":\"day\",\"records\":[{\"date\":\""
              + LocalDate.now(ZoneOffset.UTC)
              + "\",\"service\":\"EC2\",\"amount\":\"450.00\",\"currency\":\"USD\"}]}",
          200);
      ApiCaller.until(
          "the budget's alert",
          () ->
              !billing.call("GET", "/v1/budgets/" + budgetId, null, 200).path("alerts").isEmpty());
      JsonNode budgetPush =
          pushed(stream, n -> ("/v1/budgets/" + budgetId).equals(n.path("link").asText()));
      assertThat(budgetPush.path("title").asText()).startsWith("Budget Cloud at ");

      // Analytics: points, a report run and exported, a schedule delivered by email now.
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      owner.call(
          "POST",
          "/v1/analytics/metrics",
          "{\"points\":[{\"metric\":\"logins\",\"timestamp\":\""
              + now.minus(2, ChronoUnit.HOURS)
              + "\",\"value\":7,\"region\":\"eu\"},{\"metric\":\"logins\",\"timestamp\":\""
              + now.minus(1, ChronoUnit.HOURS)
              + "\",\"value\":5,\"region\":\"us\"}]}",
          200);
      String reportId =
          owner
              .call(
                  "POST",
                  "/v1/analytics/reports",
                  "{\"name\":\"Daily logins\",\"query\":{\"metrics\":[\"logins\"],\"last\":\"P1D\","
                      + "\"groupBy\":[\"region\"]},\"format\":\"csv\"}",
                  201)
              .path("id")
              .asText();
      JsonNode result =
          owner.call("GET", "/v1/analytics/reports/" + reportId + "/result", null, 200);
      assertThat(result.path("rowCount").asInt()).isEqualTo(2);
      HttpResponse<byte[]> csv =
          owner.send(
              "GET", "/v1/analytics/reports/" + reportId + "/export?format=csv", null, "text/csv");
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(new String(csv.body(), StandardCharsets.UTF_8))
          .startsWith("bucket,metric,region,");
      String scheduleId =
          owner
              .call(
                  "POST",
                  "/v1/analytics/schedules",
                  "{\"reportId\":\""
                      + reportId
                      + "\",\"cron\":\"0 6 * * *\",\"timeZone\":\"Europe/Paris\",\"recipients\":"
                      + "[{\"type\":\"email\",\"address\":\"ops@journey.example.com\"}]}",
                  201)
              .path("id")
              .asText();
      owner.call("POST", "/v1/analytics/schedules/" + scheduleId + "/run", null, 202);
      ApiCaller.until(
          "the scheduled report by email",
          () ->
              find(
                  get(inbox + "/mail"),
                  m ->
                      m.path("to").asText().equals("ops@journey.example.com")
                          && m.path("subject").asText().endsWith("] Daily logins")));

      // The audit trail: what the journey did, and a chain that verifies to its newest entry.
      String keyId = key.path("key").path("id").asText();
      JsonNode verified =
          ApiCaller.until(
              "the API key's creation in an audit trail that verifies",
              () -> {
                JsonNode page = owner.call("GET", "/v1/audit?limit=500", null, 200);
                JsonNode verification = owner.call("GET", "/v1/audit/verify", null, 200);
                JsonNode items = page.path("items");
                boolean listed =
                    find(items, e -> keyId.equals(e.path("resource").path("id").asText())) != null;
                return listed
                        && verification.path("entries").asInt() == items.size()
                        && verification
                            .path("headHash")
                            .asText()
                            .equals(items.get(0).path("hash").asText())
                    ? verification
                    : null;
              });
      assertThat(verified.path("intact").asBoolean()).as(verified.toString()).isTrue();
      JsonNode team = owner.call("GET", "/v1/users", null, 200);
      assertThat(find(team, u -> billingId.toString().equals(u.path("id").asText())).path("roles"))
          .as(team.toString())
          .hasSize(1);
    }
  }

  /** Mail to the catcher; passwords hashed at a test's bcrypt cost. */
  private static Map<String, Map<String, String>> extra(LocalReceivers receivers) {
    Map<String, Map<String, String>> extra = new HashMap<>(Platform.mailingTo(receivers));
    extra.put("gateway", Map.of("securebase.auth.bcrypt-cost", "4"));
    return extra;
  }

  private static String signIn(ServiceProcess gateway, String email, String totp, int status)
      throws Exception {
    return authenticate(
        gateway,
        "{\"email\":\""
            + email
            + "\",\"password\":\""
            + PASSWORD
            + "\""
            + (totp == null ? "" : ",\"totp\":\"" + totp + "\"")
            + "}",
        status);
  }

  private static String authenticate(ServiceProcess gateway, String body, int status)
      throws Exception {
    JsonNode answer =
        new ApiCaller(gateway, null).call("POST", "/v1/auth/authenticate", body, status);
    return answer.path("accessToken").asText();
  }

  /** The owner's next pushed notification that {@code matches}, skipping others. */
  private static JsonNode pushed(JsonWebSocket stream, Predicate<JsonNode> matches)
      throws Exception {
    return ApiCaller.until(
        "a matching notification on the owner's stream",
        () -> {
          JsonNode message = stream.next("notification", Duration.ofMillis(250));
          JsonNode n = message == null ? null : message.path("notification");
          return n != null && matches.test(n) ? n : null;
        });
  }

  /** The webhook of event {@code eventId} at the receiver, its signature verified. */
  private static JsonNode webhook(String inbox, String secret, String eventId) throws Exception {
    JsonNode hook =
        ApiCaller.until(
            "the webhook of event " + eventId,
            () ->
                find(
                    get(inbox + "/hooks"),
                    h ->
                        eventId.equals(
                            EventJson.tree(h.path("body").asText().getBytes(StandardCharsets.UTF_8))
                                .path("id")
                                .asText())));
    Map<String, List<String>> headers = new HashMap<>();
    hook.path("headers")
        .properties()
        .forEach(h -> headers.put(h.getKey(), List.of(h.getValue().asText())));
    String body = hook.path("body").asText();
    assertThatCode(() -> new Webhook(secret).verify(body, headers))
        .as("the Standard Webhooks signature verifies with the endpoint's secret")
        .doesNotThrowAnyException();
    return EventJson.tree(body.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<byte[]> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return EventJson.tree(response.body());
  }

  private static JsonNode find(JsonNode items, Predicate<JsonNode> matches) {
    for (JsonNode item : items) {
      if (matches.test(item)) {
        return item;
      }
    }
    return null;
  }

  /** The code an authenticator app shows at {@code step} (SHA-1, 6 digits, 30 s, as enrolled). */
  private static String totp(String secret, long step) throws Exception {
    return new DefaultCodeGenerator().generate(secret, step);
  }
}
