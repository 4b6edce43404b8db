package com.securebase.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventJson;
import com.securebase.infra.LocalInfra;
import com.securebase.infra.LocalReceivers;
import com.securebase.infra.ServiceProcess;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Faults under a steady flow (issue 19): tickets are opened through the gateway with an API key,
 * each assigned to the owner (a notification) and subscribed by a webhook endpoint (a delivery),
 * and usage is recorded one unit at a time (each record retried as it was until billing has it),
 * while every service in turn is killed as {@code kill -9} does and restarted, the broker is
 * stopped for 30 s, PostgreSQL is restarted and the webhook receiver refuses everything for a
 * while. Then every ticket the API accepted must exist once, have exactly one notification, one
 * webhook message and have been delivered to the receiver (counted once per {@code webhook-id}); a
 * create cut off by a fault may or may not have been stored, and if it was, it is notified and
 * delivered like the others. Billing must meter exactly one unit per usage record. The counts are
 * printed.
 */
class FaultsIT {
  private static final String CREATED = "securebase.support.ticket.created";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void nothingIsLostOrDoubledThroughCrashesABrokerOutageADatabaseRestartAndAFailingReceiver()
      throws Exception {
    LocalInfra infra = LocalInfra.shared();
    try (LocalReceivers receivers = LocalReceivers.start(0, 0);
        Platform platform = Platform.start(Platform.BEHIND_GATEWAY, extra(receivers))) {
      ServiceProcess gateway = platform.gateway();
      String inbox = "http://127.0.0.1:" + receivers.httpPort();
      ApiCaller owner =
          new ApiCaller(
              gateway, PackagedServices.signIn(HTTP, gateway, platform.demoOwnerPassword()));
      String ownerId = PackagedServices.claims(owner.token()).path("sub").asText();
      ApiCaller key =
          new ApiCaller(
              gateway,
              new ApiCaller(gateway, null)
                  .call(
                      "POST",
                      "/v1/auth/authenticate",
                      "{\"apiKey\":\"" + platform.demoApiKey() + "\"}",
                      200)
                  .path("accessToken")
                  .asText());
      owner.call(
          "POST",
          "/v1/webhooks/endpoints",
          "{\"url\":\"" + inbox + "/hooks/faults\",\"eventTypes\":[\"" + CREATED + "\"]}",
          201);

      Load load = new Load(key, ownerId);
      Thread loader = Thread.ofPlatform().name("ticket-load").start(load);
      UsageLoad usage = new UsageLoad(key);
      Thread metering = Thread.ofPlatform().name("usage-load").start(usage);
      List<String> faults = new ArrayList<>();
      for (String service : List.copyOf(platform.services().keySet())) {
        Thread.sleep(2_000);
        Instant killed = Instant.now();
        long t = System.nanoTime();
        platform.crashAndRestart(service);
        faults.add(
            String.format(
                "%s kill -9 %s, back in %.1f s", killed, service, (System.nanoTime() - t) / 1e9));
      }
      Thread.sleep(2_000);
      infra.kafka().stop();
      Thread.sleep(30_000);
      infra.kafka().start();
      faults.add(Instant.now() + " broker back after 30 s");
      Thread.sleep(2_000);
      infra.postgres().stop();
      infra.postgres().start();
      faults.add(Instant.now() + " PostgreSQL restarted");
      Thread.sleep(2_000);
      receivers.refuseWebhooks(true);
      Thread.sleep(10_000);
      receivers.refuseWebhooks(false);
      faults.add(Instant.now() + " receiver answered 503 for 10 s");
      Thread.sleep(3_000);
      load.stop();
      usage.stop();
      loader.join();
      metering.join();

      Set<String> accepted = load.accepted();
      assertThat(accepted).as("tickets the API accepted").hasSizeGreaterThan(20);
      Map<String, Integer> tickets = new HashMap<>();
      Map<String, Integer> notified = new HashMap<>();
      Map<String, Integer> messages = new HashMap<>();
      Map<String, Set<String>> delivered = new HashMap<>(); // ticket id -> webhook-ids
      int[] received = new int[1];
      BigDecimal[] metered = {BigDecimal.ZERO};
      String[] progress = {"nothing read yet"};
      String settled;
      try {
        settled =
            ApiCaller.until(
                "every accepted ticket stored once, notified once and delivered",
                Duration.ofMinutes(3),
                () -> {
                  Thread.sleep(3_000); // listing everything: a few reads, not thousands an hour
                  tickets.clear();
                  all(owner, "/v1/support/tickets?limit=100", t -> t.path("id").asText())
                      .forEach(id -> tickets.merge(id, 1, Integer::sum));
                  notified.clear();
                  all(
                          owner,
                          "/v1/notifications?type=ticket&limit=100",
                          n -> n.path("metadata").path("ticketId").asText())
                      .forEach(id -> notified.merge(id, 1, Integer::sum));
                  messages.clear();
                  all(
                          owner,
                          "/v1/webhooks/messages?limit=100&eventType="
                              + URLEncoder.encode(CREATED, StandardCharsets.UTF_8),
                          m ->
                              EventJson.tree(
                                      m.path("payload").asText().getBytes(StandardCharsets.UTF_8))
                                  .path("data")
                                  .path("ticketId")
                                  .asText())
                      .forEach(id -> messages.merge(id, 1, Integer::sum));
                  delivered.clear();
                  received[0] = 0;
                  for (JsonNode hook : get(inbox + "/hooks")) {
                    if (hook.path("answered").asInt() != 204) {
                      continue;
                    }
                    received[0]++;
                    String ticket =
                        EventJson.tree(hook.path("body").asText().getBytes(StandardCharsets.UTF_8))
                            .path("data")
                            .path("ticketId")
                            .asText();
                    delivered
                        .computeIfAbsent(ticket, k -> new HashSet<>())
                        .add(hook.path("headers").path("webhook-id").asText());
                  }
                  metered[0] = BigDecimal.ZERO;
                  for (JsonNode metric :
                      owner.call("GET", "/v1/metrics", null, 200).path("metrics")) {
                    if (UsageLoad.METRIC.equals(metric.path("code").asText())) {
                      metered[0] = new BigDecimal(metric.path("quantity").asText());
                    }
                  }
                  progress[0] =
                      String.format(
                          "%d accepted, %d stored (%d accepted missing), notified %d, messages %d,"
                              + " delivered %d; the tickets not notified were accepted %s;"
                              + " usage stored %d, metered %s; faults: %s",
                          accepted.size(),
                          tickets.size(),
                          accepted.stream().filter(id -> !tickets.containsKey(id)).count(),
                          notified.size(),
                          messages.size(),
                          delivered.size(),
                          load.times(
                              tickets.keySet().stream()
                                  .filter(id -> !notified.containsKey(id))
                                  .toList()),
                          usage.stored(),
                          metered[0].toPlainString(),
                          faults);
                  boolean done =
                      tickets.keySet().containsAll(accepted)
                          && notified.keySet().equals(tickets.keySet())
                          && messages.keySet().equals(tickets.keySet())
                          && delivered.keySet().equals(tickets.keySet())
                          && metered[0].compareTo(BigDecimal.valueOf(usage.stored())) == 0;
                  return done ? "settled" : null;
                });
      } catch (AssertionError unsettled) {
        throw new AssertionError(unsettled.getMessage() + ": " + progress[0], unsettled);
      }

      System.out.println("Faults: " + String.join("; ", faults));
      System.out.printf(
          "  tickets: %d accepted by the API, %d attempts refused or cut off during faults, %d stored%n",
          accepted.size(), load.failed.get(), tickets.size());
      System.out.printf(
          "  notifications: %d for %d tickets; webhook messages: %d; deliveries received: %d"
              + " (%d distinct webhook-ids, %d repeats de-duplicated)%n",
          notified.values().stream().mapToInt(Integer::intValue).sum(),
          notified.size(),
          messages.values().stream().mapToInt(Integer::intValue).sum(),
          received[0],
          delivered.values().stream().mapToInt(Set::size).sum(),
          received[0] - delivered.values().stream().mapToInt(Set::size).sum());
      System.out.printf(
          "  usage: %d records stored (%d attempts retried as they were), billing meters %s%n",
          usage.stored(), usage.retried.get(), metered[0].toPlainString());
      assertThat(settled).isEqualTo("settled");
      assertThat(tickets.values()).as("each ticket stored once").allMatch(c -> c == 1);
      assertThat(notified.values()).as("one notification per ticket").allMatch(c -> c == 1);
      assertThat(messages.values()).as("one webhook message per ticket").allMatch(c -> c == 1);
      assertThat(delivered.values())
          .as("one webhook-id per ticket")
          .allMatch(ids -> ids.size() == 1);
    }
  }

  private static Map<String, Map<String, String>> extra(LocalReceivers receivers) {
    Map<String, Map<String, String>> extra = new HashMap<>(Platform.mailingTo(receivers));
    // The highest tier's rate limit: the load and the final listings are thousands of requests.
    extra.put("gateway", Map.of("securebase.demo.tier", "government"));
    // Retries and the circuit on a test's time scale, not a receiver's hours.
    extra.put(
        "webhooks",
        Map.of(
            "securebase.webhooks.retry.schedule", "0s,1s,2s,4s,8s,8s,15s,30s,30s",
            "securebase.webhooks.circuit.open-for", "5s"));
    return extra;
  }

  /** Every item of a cursor-paged listing, mapped. */
  private static List<String> all(ApiCaller caller, String path, Function<JsonNode, String> id)
      throws Exception {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          caller.call(
              "GET",
              path
                  + (cursor == null
                      ? ""
                      : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
              null,
              200);
      page.path("items").forEach(item -> ids.add(id.apply(item)));
      cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
    } while (cursor != null);
    return ids;
  }

  private static JsonNode get(String url) throws Exception {
    return EventJson.tree(
        HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray())
            .body());
  }

  /** Opens a ticket every 200 ms until stopped, keeping those the API accepted. */
  private static final class Load implements Runnable {
    private final ApiCaller key;
    private final String assignee;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Instant> accepted = new ConcurrentHashMap<>();
    final AtomicInteger failed = new AtomicInteger();

    Load(ApiCaller key, String assignee) {
      this.key = key;
      this.assignee = assignee;
    }

    @Override
    public void run() {
      for (int n = 0; running.get(); n++) {
        String subject = "fault-" + n;
        try {
          HttpResponse<byte[]> answer =
              key.send(
                  "POST",
                  "/v1/support/tickets",
                  "{\"subject\":\""
                      + subject
                      + "\",\"priority\":\"low\",\"assigneeId\":\""
                      + assignee
                      + "\"}",
                  "application/json");
          if (answer.statusCode() == 201) {
            accepted.put(EventJson.tree(answer.body()).path("id").asText(), Instant.now());
          } else {
            failed.incrementAndGet();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception refused) {
          failed.incrementAndGet(); // the gateway or support is down: nothing was accepted
        }
        try {
          Thread.sleep(200); // the same pace whether the create succeeded or not
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    void stop() {
      running.set(false);
    }

    Set<String> accepted() {
      return Set.copyOf(accepted.keySet());
    }

    /** When the first and last of {@code ids} were accepted, and how many there are. */
    String times(List<String> ids) {
      List<Instant> at =
          ids.stream().map(accepted::get).filter(java.util.Objects::nonNull).sorted().toList();
      return at.isEmpty() ? "none" : at.size() + " from " + at.getFirst() + " to " + at.getLast();
    }
  }

  /**
   * Records one unit of usage every 200 ms, each with its own transaction id, and retries a record
   * exactly as it was until billing has it (accepted, or a duplicate of an attempt whose answer a
   * fault cut off), as a client of an idempotent API does; so billing must end up metering exactly
   * one unit per record, whatever the faults did.
   */
  private static final class UsageLoad implements Runnable {
    static final String METRIC = "support_hours";
    private static final Duration GIVE_UP = Duration.ofMinutes(2);
    private final ApiCaller key;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger stored = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();

    UsageLoad(ApiCaller key) {
      this.key = key;
    }

    @Override
    public void run() {
      try {
        for (int n = 0; running.get(); n++) {
          String batch =
              "{\"records\":[{\"transactionId\":\"fault-usage-"
                  + n
                  + "\",\"metricCode\":\""
                  + METRIC
                  + "\",\"quantity\":\"1\",\"timestamp\":\""
                  + Instant.now()
                  + "\"}]}";
          // Once sent, a record is retried even after stop(): it may already be stored.
          long deadline = System.nanoTime() + GIVE_UP.toNanos();
          while (!storedBy(batch)) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("billing never took " + batch);
            }
            retried.incrementAndGet();
            Thread.sleep(200);
          }
          stored.incrementAndGet();
          Thread.sleep(200);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private boolean storedBy(String batch) throws InterruptedException {
      try {
        HttpResponse<byte[]> answer = key.send("POST", "/v1/usage", batch, "application/json");
        if (answer.statusCode() != 200) {
          return false;
        }
        JsonNode result = EventJson.tree(answer.body());
        return result.path("accepted").asInt() + result.path("duplicates").asInt() == 1;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception refused) {
        return false; // the gateway or billing is down
      }
    }

    void stop() {
      running.set(false);
    }

    int stored() {
      return stored.get();
    }
  }
}
