package com.securebase.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) that keeps every JSON message the server sends. */
final class StreamClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  final AtomicInteger pings = new AtomicInteger();
  private final WebSocket socket;

  private StreamClient(URI uri, String authorization) throws Exception {
    WebSocket.Builder builder =
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    socket = builder.buildAsync(uri, new Listener()).get(15, TimeUnit.SECONDS);
  }

  static StreamClient connect(int port, String query, String bearer) throws Exception {
    return new StreamClient(
        URI.create("ws://127.0.0.1:" + port + "/v1/notifications/stream" + query),
        bearer == null ? null : "Bearer " + bearer);
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  /**
   * Waits until {@code count} messages match (fails if they do not within {@code timeout}); returns
   * all that match, in arrival order.
   */
  List<JsonNode> await(Predicate<JsonNode> filter, int count, Duration timeout) {
    return NotificationFixtures.until(
        count + " matching stream message(s)",
        () -> new ArrayList<>(received.stream().filter(filter).toList()),
        found -> found.size() >= count,
        timeout);
  }

  List<JsonNode> all() {
    return List.copyOf(received);
  }

  static Predicate<JsonNode> type(String type) {
    return m -> type.equals(m.path("type").asText());
  }

  @Override
  public void close() {
    socket
        .sendClose(WebSocket.NORMAL_CLOSURE, "bye")
        .orTimeout(5, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          received.add(JSON.readTree(partial.toString()));
        } catch (java.io.IOException e) {
          throw new IllegalStateException("Not JSON: " + partial, e);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
      pings.incrementAndGet();
      return WebSocket.Listener.super.onPing(ws, message);
    }
  }
}
