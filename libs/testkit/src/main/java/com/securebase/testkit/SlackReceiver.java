package com.securebase.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A local stand-in for Slack's incoming webhook endpoint: records every POST body and answers with
 * the status a test chooses (200, or a failure to exercise retries).
 */
public final class SlackReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<String> posts = new CopyOnWriteArrayList<>();
  public final AtomicInteger status = new AtomicInteger(200);

  public SlackReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          if ("POST".equals(exchange.getRequestMethod())) {
            posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          }
          byte[] answer = (status.get() == 200 ? "ok" : "failure").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
  }

  /** The webhook URL to configure (the test profile allows loopback URLs). */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T000/B000/secret";
  }

  /** Waits until {@code count} posts match (fails if they do not); returns all that match. */
  public List<String> await(Predicate<String> filter, int count, Duration timeout) {
    Polling.until(
        () -> posts.stream().filter(filter).count() >= count,
        count + " matching Slack post(s)",
        timeout);
    return posts.stream().filter(filter).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
