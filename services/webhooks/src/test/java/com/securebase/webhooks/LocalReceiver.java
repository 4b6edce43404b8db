package com.securebase.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests: records every request per path ({@code
 * /hook/<name>}) and answers with the responses queued for that path (200 when none is queued).
 */
final class LocalReceiver implements AutoCloseable {
  /** Header names in lower case, as the Standard Webhooks library looks them up. */
  record Received(String name, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }
  }

  record Reply(int status, String body, Map<String, String> headers, Duration delay) {
    static Reply of(int status) {
      return new Reply(status, "", Map.of(), Duration.ZERO);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
  private final Map<String, Reply> always = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();

  LocalReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/hook/", this::handle);
    server.start();
  }

  String url(String name) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook/" + name;
  }

  /** Replies for the next requests to {@code name}, in order. */
  void queue(String name, Reply... next) {
    replies.computeIfAbsent(name, n -> new ConcurrentLinkedDeque<>()).addAll(List.of(next));
  }

  /** The reply for every request to {@code name} once the queue is empty. */
  void always(String name, Reply reply) {
    always.put(name, reply);
  }

  List<Received> received(String name) {
    List<Received> out = new ArrayList<>();
    for (Received r : received) {
      if (r.name().equals(name)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Waits until {@code name} has received {@code count} requests (10 s at most). */
  List<Received> await(String name, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (received(name).size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            name + " received " + received(name).size() + " of " + count + " requests in 10 s");
      }
      Thread.sleep(20);
    }
    return received(name);
  }

  int maxConcurrent(String name) {
    AtomicInteger max = maxInFlight.get(name);
    return max == null ? 0 : max.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String name = exchange.getRequestURI().getPath().substring("/hook/".length());
    AtomicInteger now = inFlight.computeIfAbsent(name, n -> new AtomicInteger());
    maxInFlight
        .computeIfAbsent(name, n -> new AtomicInteger())
        .accumulateAndGet(now.incrementAndGet(), Math::max);
    try (exchange) {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Deque<Reply> queued = replies.get(name);
      Reply reply = queued == null ? null : queued.poll();
      if (reply == null) {
        reply = always.getOrDefault(name, Reply.of(200));
      }
      if (!reply.delay().isZero()) {
        Thread.sleep(reply.delay());
      }
      Map<String, List<String>> headers = new java.util.HashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
      received.add(new Received(name, headers, body));
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream o = exchange.getResponseBody()) {
          o.write(out);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      now.decrementAndGet();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
