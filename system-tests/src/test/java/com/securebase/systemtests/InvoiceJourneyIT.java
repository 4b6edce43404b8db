package com.securebase.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventJson;
import com.securebase.infra.ServiceProcess;
import com.securebase.testkit.JsonWebSocket;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An invoice's way across the services (issue 15), as a customer drives it through the gateway: the
 * demo owner signs in, subscribes a webhook endpoint on a local receiver to finalized invoices and
 * opens the notification stream; then last month's usage is posted, the month invoiced and the
 * invoice finalized. Billing's one {@code invoice.finalized} event must reach the owner as a
 * notification over the WebSocket and the receiver as a webhook whose Standard Webhooks signature
 * the official library verifies with the endpoint's secret. Gateway, billing, notifications and
 * webhooks run from their packaged jars with one key pair, as {@code make run} starts them.
 */
class InvoiceJourneyIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String FINALIZED = "securebase.billing.invoice.finalized";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aFinalizedInvoiceReachesTheOwnerOverTheWebSocketAndTheEndpointAsASignedWebhook()
      throws Exception {
    // Notifications first: its domain consumers start at the end of the topics, and the other
    // services' start-up gives them time to be assigned before billing publishes.
    try (Receiver receiver = new Receiver();
        Platform platform =
            Platform.start(List.of("notifications", "billing", "webhooks"), Map.of())) {
      ServiceProcess gateway = platform.gateway();
      Caller owner =
          new Caller(gateway, PackagedServices.signIn(HTTP, gateway, platform.demoOwnerPassword()));
      UUID tenant = UUID.fromString(PackagedServices.claims(owner.token()).path("tenant").asText());

      // Billing learns the tenant (and so its tier) from the gateway's tenant events.
      String tier = owner.call("GET", "/v1/tenants/" + tenant, null, 200).path("tier").asText();
      until(
          "billing metering the tenant at its tier " + tier,
          () -> tier.equals(owner.call("GET", "/v1/metrics", null, 200).path("tier").asText()));

      String secret =
          owner
              .call(
                  "POST",
                  "/v1/webhooks/endpoints",
                  "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"" + FINALIZED + "\"]}",
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

      YearMonth lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
      Instant during = lastMonth.atDay(15).atTime(12, 0).toInstant(ZoneOffset.UTC);
      JsonNode usage =
          owner.call(
              "POST",
              "/v1/usage",
              "{\"records\":[{\"transactionId\":\"journey-"
                  + UUID.randomUUID()
                  + "\",\"metricCode\":\"support_hours\",\"quantity\":\"2\",\"timestamp\":\""
                  + during
                  + "\"}]}",
              200);
      assertThat(usage.path("accepted").asInt()).as(usage.toString()).isEqualTo(1);
      String invoiceId =
          owner
              .call("POST", "/v1/invoices/runs", "{\"period\":\"" + lastMonth + "\"}", 201)
              .path("id")
              .asText();
      JsonNode invoice = owner.call("POST", "/v1/invoices/" + invoiceId + "/finalize", null, 200);
      String number = invoice.path("number").asText();
      assertThat(invoice.path("status").asText()).isEqualTo("finalized");
      assertThat(invoice.path("tier").asText()).isEqualTo(tier);
      assertThat(invoice.path("lines").findValuesAsText("metricCode")).contains("support_hours");

      // Other notifications are skipped: only the one of this invoice's finalization counts.
      JsonNode pushed =
          until(
              "notification of invoice " + number + " being finalized on the owner's stream",
              () -> {
                JsonNode message = stream.next("notification", Duration.ofMillis(250));
                JsonNode n = message == null ? null : message.path("notification");
                return n != null
                        && FINALIZED.equals(n.path("source").path("eventType").asText())
                        && invoiceId.equals(n.path("metadata").path("invoiceId").asText())
                    ? n
                    : null;
              });
      assertThat(pushed.path("title").asText()).isEqualTo("Invoice " + number + " is ready");
      assertThat(pushed.path("link").asText()).isEqualTo("/v1/invoices/" + invoiceId);

      // The demo tenant's id is fixed: earlier runs' invoices may be delivered too.
      Received hook =
          until(
              "webhook of invoice " + number + " at the receiver",
              () ->
                  receiver.received().stream()
                      .filter(
                          r -> invoiceId.equals(r.json().path("data").path("invoiceId").asText()))
                      .findFirst()
                      .orElse(null));
      assertThatCode(() -> new Webhook(secret).verify(hook.body(), hook.headers()))
          .as("the Standard Webhooks signature verifies with the endpoint's secret")
          .doesNotThrowAnyException();
      JsonNode body = hook.json();
      assertThat(body.path("type").asText()).isEqualTo(FINALIZED);
      assertThat(body.path("tenantId").asText()).isEqualTo(tenant.toString());
      assertThat(body.path("data").path("number").asText()).isEqualTo(number);
      assertThat(body.path("data").path("status").asText()).isEqualTo("finalized");
      // Both are the same billing event, not two that happen to describe one invoice.
      assertThat(body.path("id").asText())
          .isEqualTo(pushed.path("source").path("eventId").asText());
    }
  }

  private static JsonNode json(String text) {
    return EventJson.tree(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Polls until {@code poll} answers non-null (or true), failing after {@link #WAIT}. */
  private static <T> T until(String what, Callable<T> poll) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      T found = poll.call();
      if (found != null && !Boolean.FALSE.equals(found)) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("No " + what + " within " + WAIT);
      }
      Thread.sleep(250);
    }
  }

  /** A signed-in user's calls through the gateway. */
  private record Caller(ServiceProcess gateway, String token) {
    /** Sends {@code body} (JSON, or none), expects {@code status} and answers the JSON body. */
    JsonNode call(String method, String path, String body, int status) throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(gateway.url(path)))
              .header("Authorization", "Bearer " + token);
      if (body != null) {
        request.header("Content-Type", "application/json");
      }
      HttpResponse<String> response =
          HTTP.send(
              request
                  .method(
                      method,
                      body == null
                          ? HttpRequest.BodyPublishers.noBody()
                          : HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode())
          .as("%s %s: %s", method, path, response.body())
          .isEqualTo(status);
      return json(response.body());
    }
  }

  /** One request the receiver got; header names in lower case, as the library looks them up. */
  private record Received(Map<String, List<String>> headers, String body) {
    JsonNode json() {
      return InvoiceJourneyIT.json(body);
    }
  }

  /** A webhook receiver on 127.0.0.1 that records every request and answers 204. */
  private static final class Receiver implements AutoCloseable {
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
      server.createContext("/hook", this::handle);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Received> received() {
      return received;
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange;
          InputStream in = exchange.getRequestBody()) {
        Map<String, List<String>> headers = new HashMap<>();
        exchange
            .getRequestHeaders()
            .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        received.add(new Received(headers, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        exchange.sendResponseHeaders(204, -1);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
