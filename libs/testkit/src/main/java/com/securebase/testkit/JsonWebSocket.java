package com.securebase.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket client (the JDK's) for black-box tests of a stream of JSON text messages: every
 * complete message is parsed and kept, in arrival order, for {@link #next}.
 */
public final class JsonWebSocket implements WebSocket.Listener {
  private final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();

  private JsonWebSocket() {}

  /**
   * Connects with {@code headers}; a refused upgrade is an {@link ExecutionException} caused by
   * {@link java.net.http.WebSocketHandshakeException}.
   */
  public static JsonWebSocket open(URI uri, Map<String, String> headers)
      throws InterruptedException, ExecutionException, TimeoutException {
    JsonWebSocket socket = new JsonWebSocket();
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
    headers.forEach(builder::header);
    builder.buildAsync(uri, socket).get(10, TimeUnit.SECONDS);
    return socket;
  }

  @Override
  public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      messages.add(EventJson.tree(partial.toString().getBytes(StandardCharsets.UTF_8)));
      partial.setLength(0);
    }
    socket.request(1);
    return null;
  }

  /** The next message of {@code type} within {@code wait} (others are skipped), or null. */
  public JsonNode next(String type, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      JsonNode message = messages.poll(left, TimeUnit.NANOSECONDS);
      if (message != null && type.equals(message.path("type").asText())) {
        return message;
      }
    }
    return null;
  }
}
